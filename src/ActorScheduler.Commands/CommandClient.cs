using System.Net.Sockets;
using System.Text.Json;

namespace ActorScheduler.Commands;

/// <summary>
/// The client side of a command connection: connect and say hello, then run one request at a time, streaming its
/// output to a callback until its <see cref="End"/>. Canceling a run sends <see cref="Cancel"/> and still waits for
/// the host's End, so the connection stays usable for the next command.
/// </summary>
public sealed class CommandClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _nextId;

    private CommandClient(TcpClient tcp, Welcome welcome)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Welcome = welcome;
    }

    /// <summary>What the host said about itself and the palettes it serves.</summary>
    public Welcome Welcome { get; }

    /// <summary>
    /// Connects and shakes hands. Throws <see cref="CommandHostUnreachableException"/> when nothing answers in
    /// time and <see cref="CommandHostRefusedException"/> when the host refuses (wrong token, too many clients).
    /// </summary>
    /// <summary>How a client names itself by default, for the host's audit trail: <c>schedctl alice@build-1</c>.</summary>
    public static string DefaultClientName => $"schedctl {Environment.UserName}@{Environment.MachineName}";

    public static async Task<CommandClient> ConnectAsync(string host, int port, string? token, TimeSpan timeout, string? clientName = null,
        CancellationToken cancel = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, deadline.Token);
            var stream = tcp.GetStream();
            await CommandProtocol.WriteAsync(stream, new Hello(token, clientName ?? DefaultClientName, CommandProtocol.Version), deadline.Token);
            return await CommandProtocol.ReadAsync(stream, cancel: deadline.Token) switch
            {
                Welcome welcome => new CommandClient(tcp, welcome),
                Refused refused => throw new CommandHostRefusedException(refused.Code, refused.Message),
                null => throw new CommandHostUnreachableException($"{host}:{port} closed the connection without answering: is it a command host?"),
                var other => throw new CommandHostUnreachableException($"{host}:{port} answered the handshake with '{other.GetType().Name}': is it a command host?"),
            };
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or InvalidDataException && !cancel.IsCancellationRequested)
        {
            tcp.Dispose();
            var reason = e switch
            {
                OperationCanceledException => $"no answer within {timeout.TotalSeconds:0.#} s",
                SocketException s => s.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : s.Message,
                _ => e.Message,
            };
            throw new CommandHostUnreachableException($"Cannot reach a command host at {host}:{port} ({reason}).");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one command; <paramref name="onOutput"/> sees each <see cref="Output"/> as it arrives. When
    /// <paramref name="cancel"/> fires, the host is asked to stop and the End it sends is returned (status
    /// <see cref="EndStatus.Canceled"/> for a stopped tail). A lost connection throws <see cref="CommandHostUnreachableException"/>.
    /// </summary>
    public async Task<End> RunAsync(string palette, string command, IReadOnlyDictionary<string, string> arguments,
        Func<Output, Task> onOutput, CancellationToken cancel = default)
    {
        var id = ++_nextId;
        try
        {
            await Write(new Request(id, palette, command, arguments));
            await using var onCancel = cancel.Register(() => _ = SendCancel(id));
            while (true)
            {
                switch (await CommandProtocol.ReadAsync(_stream))
                {
                    case Output output when output.Id == id:
                        await onOutput(output);
                        break;
                    case End end when end.Id == id:
                        return end;
                    case null:
                        throw new CommandHostUnreachableException("The command host closed the connection.");
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            throw new CommandHostUnreachableException($"The connection to the command host was lost ({e.Message}).");
        }
    }

    /// <summary>Runs a command and collects its output (for callers that do not stream).</summary>
    public async Task<(End End, IReadOnlyList<Output> Outputs)> RunAsync(string palette, string command,
        IReadOnlyDictionary<string, string>? arguments = null, CancellationToken cancel = default)
    {
        var outputs = new List<Output>();
        var end = await RunAsync(palette, command, arguments ?? new Dictionary<string, string>(), o => { outputs.Add(o); return Task.CompletedTask; }, cancel);
        return (end, outputs);
    }

    // A cancel is written from the token's callback, so it can meet the next request's write: one writer at a time.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private async Task Write(Frame frame)
    {
        await _writeLock.WaitAsync();
        try
        {
            await CommandProtocol.WriteAsync(_stream, frame);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task SendCancel(int id)
    {
        try
        {
            await Write(new Cancel(id));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // the connection is gone; the read loop reports it
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class CommandHostUnreachableException(string message) : Exception(message);

public sealed class CommandHostRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Helpers for reading the <see cref="Output.Data"/> of tables.</summary>
public static class OutputData
{
    public static IEnumerable<JsonElement> Rows(this Output output) =>
        output.Data.ValueKind == JsonValueKind.Array ? output.Data.EnumerateArray() : [];
}
