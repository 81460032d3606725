using System.Net;
using System.Net.Sockets;
using ActorScheduler.Commands;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.CommandHost;

/// <summary>
/// The command host: a TCP listener speaking <see cref="CommandProtocol"/>, one <see cref="CommandSession"/> per
/// client, at most <see cref="CommandHostSettings.MaxConnections"/> at once.
/// </summary>
public sealed class CommandServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CommandHostSettings _settings;
    private readonly NodeInfo _node;
    private readonly IReadOnlyDictionary<string, Palette> _palettes;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly HashSet<Task> _sessions = [];
    private int _connections;
    private int _handshakes;

    private CommandServer(TcpListener listener, CommandHostSettings settings, NodeInfo node, IEnumerable<Palette> palettes, ILoggingAdapter log)
    {
        (_listener, _settings, _node, _log) = (listener, settings, node, log);
        _palettes = palettes.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _accepting = Task.Run(AcceptLoop);
    }

    /// <summary>The port it listens on (the configured one, or the one chosen for port 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Listens and serves. Throws <see cref="InvalidOperationException"/> with what to do when the settings cannot be
    /// used or the port is taken (a node stops starting rather than run without the host it was configured with).
    /// </summary>
    public static CommandServer Start(CommandHostSettings settings, ActorSystem system, string kind, IReadOnlyList<string> roles,
        IEnumerable<Palette> palettes, string tokenHint)
    {
        if (settings.Problem(tokenHint) is { } problem)
            throw new InvalidOperationException(problem);
        var address = settings.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(settings.Host.Trim('[', ']'));
        var listener = new TcpListener(address, settings.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"The command host cannot listen on {settings.Host}:{settings.Port} ({e.Message}): " +
                "choose another port (actor-scheduler.cmd.port) or turn it off (actor-scheduler.cmd.enabled = off).");
        }
        var version = typeof(CommandServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var node = new NodeInfo(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), kind, roles, version);
        var server = new CommandServer(listener, settings, node, palettes, system.Log);
        system.Log.Info("Command host listening on {0}:{1} ({2}); palettes: {3}", settings.Host, server.Port,
            settings.Token is null ? "no token" : "token required", string.Join(", ", server._palettes.Keys));
        return server;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            client.NoDelay = true;
            // A client whose machine sleeps or whose network drops it is found out, not kept for ever.
            client.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            if (Interlocked.Increment(ref _handshakes) > CommandHostSettings.MaxHandshakes)
            {
                Interlocked.Decrement(ref _handshakes);
                _log.Warning("Command host: turned away {0}: {1} clients are still saying hello", client.Client.RemoteEndPoint, CommandHostSettings.MaxHandshakes);
                client.Dispose();
                continue;
            }
            Track(Serve(client));
        }
    }

    private void Track(Task session)
    {
        lock (_sessions)
            _sessions.Add(session);
        _ = session.ContinueWith(done => { lock (_sessions) _sessions.Remove(done); }, TaskScheduler.Default);
    }

    private async Task Serve(TcpClient client)
    {
        var remote = client.Client.RemoteEndPoint;
        var admitted = false;
        try
        {
            using (client)
            {
                var session = new CommandSession(client.GetStream(), _settings.Token, _node, _palettes, _log);
                try
                {
                    if (!await session.HandshakeAsync(() => (admitted = Admit(remote)) ? null : Busy(), _stop.Token))
                        return;
                }
                finally
                {
                    Interlocked.Decrement(ref _handshakes);
                }
                await session.ServeAsync(_stop.Token);
            }
        }
        catch (FrameTooLargeException e)
        {
            _log.Warning("Command host: closed the connection of {0}: {1}", remote, e.Message);
        }
        catch (Exception e)
        {
            _log.Debug("Command host: a client connection ended: {0}", e.Message);
        }
        finally
        {
            if (admitted)
                Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Takes a connection slot for a client through the handshake; false (and logged) when all are taken.</summary>
    private bool Admit(EndPoint? remote)
    {
        if (Interlocked.Increment(ref _connections) <= _settings.MaxConnections)
            return true;
        Interlocked.Decrement(ref _connections);
        _log.Warning("Command host: refused a client from {0}: {1} clients are connected (actor-scheduler.cmd.max-connections)", remote, _settings.MaxConnections);
        return false;
    }

    private Refused Busy() =>
        new(RefusalCodes.Busy, $"The command host has {_settings.MaxConnections} clients connected already; try again when one has left.");

    /// <summary>Stops listening, ends every session (their commands are canceled) and waits for them, a few seconds at most.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_sessions)
            sessions = [.. _sessions];
        await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(TimeSpan.FromSeconds(5)));
    }
}
