using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Tests;

/// <summary>
/// A command host for specs: the real protocol (CommandProtocol framing) on a real loopback socket, advertising
/// <see cref="TestPalettes"/> and answering from <see cref="FakeAnswers"/>. It records what it was asked, so a spec
/// can check what schedctl sent.
/// </summary>
internal sealed class FakeCommandHost : IAsyncDisposable
{
    public static readonly NodeInfo Node = new("akka.tcp://actor-scheduler@127.0.0.1:4053", "node", ["scheduler", "worker"], "0.12.0");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly string? _token;
    private readonly Task _accepting;

    private FakeCommandHost(string? token, bool ignoresCancel)
    {
        _token = token;
        IgnoresCancel = ignoresCancel;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <param name="token">When set, a client must say it in its Hello or is refused as unauthorized.</param>
    /// <param name="ignoresCancel">Never ends a canceled streaming request (a stuck host).</param>
    public static FakeCommandHost Start(string? token = null, bool ignoresCancel = false) => new(token, ignoresCancel);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public bool IgnoresCancel { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public ConcurrentQueue<Hello> Hellos { get; } = new();

    /// <summary>Completes once a streaming answer has sent its first progress frame.</summary>
    public TaskCompletionSource StreamStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a client sends a Cancel.</summary>
    public TaskCompletionSource CancelReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Request SingleRequest() => Assert.Single(Requests);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await Task.WhenAll(_connections.Append(_accepting)).ContinueWith(_ => { });
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                _connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        var stream = client.GetStream();
        var writes = new SemaphoreSlim(1, 1);
        var running = new ConcurrentDictionary<int, CancellationTokenSource>();
        try
        {
            if (!await ShakeHandsAsync(stream))
                return;
            while (await CommandProtocol.ReadAsync(stream, cancel: _stopping.Token) is { } frame)
            {
                if (frame is Request request)
                {
                    Requests.Enqueue(request);
                    if (!FakeAnswers.KeepsConnection(request))
                        return;
                    var canceled = running[request.Id] = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    _ = FakeAnswers.AnswerAsync(this, request, f => SendAsync(stream, writes, f), canceled.Token);
                }
                else if (frame is Cancel cancel)
                {
                    CancelReceived.TrySetResult();
                    if (running.TryGetValue(cancel.Id, out var source))
                        await source.CancelAsync();
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // the client went away or the host is stopping
        }
    }

    private async Task<bool> ShakeHandsAsync(Stream stream)
    {
        if (await CommandProtocol.ReadAsync(stream, cancel: _stopping.Token) is not Hello hello)
            return false;
        Hellos.Enqueue(hello);
        if (_token is not null && hello.Token != _token)
        {
            var reason = hello.Token is null ? "This command host requires a token." : "The token is not this command host's.";
            await CommandProtocol.WriteAsync(stream, new Refused(RefusalCodes.Unauthorized, reason), _stopping.Token);
            return false;
        }
        await CommandProtocol.WriteAsync(stream, new Welcome(Node, TestPalettes.All), _stopping.Token);
        return true;
    }

    private static async Task SendAsync(Stream stream, SemaphoreSlim writes, Frame frame)
    {
        await writes.WaitAsync();
        try
        {
            await CommandProtocol.WriteAsync(stream, frame);
        }
        finally
        {
            writes.Release();
        }
    }
}
