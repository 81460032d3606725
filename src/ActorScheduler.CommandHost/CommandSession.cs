using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ActorScheduler.Commands;
using Akka.Event;

namespace ActorScheduler.CommandHost;

/// <summary>
/// One client's conversation: the handshake (version and token), then requests run concurrently (at most
/// <see cref="CommandHostSettings.MaxRequestsPerConnection"/>), their output frames written one at a time, each
/// request ended by exactly one <see cref="End"/> unless the client is gone. A client that goes away, or stops
/// reading for <see cref="CommandHostSettings.WriteTimeout"/>, cancels everything it started.
/// </summary>
internal sealed class CommandSession(Stream stream, string? token, NodeInfo node, IReadOnlyDictionary<string, Palette> palettes, ILoggingAdapter log)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _running = new();
    private readonly CancellationTokenSource _gone = new();

    /// <summary>
    /// The handshake; true when the client is let in. <paramref name="admit"/> is asked last, for a client that
    /// may come in: it takes a connection slot, or answers why not (the host is busy).
    /// </summary>
    /// <summary>Who the session speaks for, once the handshake passed: the client's own name for itself.</summary>
    private string? _client;

    public async Task<bool> HandshakeAsync(Func<Refused?> admit, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(CommandHostSettings.HandshakeTimeout);
        var hello = await CommandProtocol.ReadAsync(stream, 64 * 1024, timeout.Token) as Hello;
        Refused? refusal = hello switch
        {
            null => new Refused(RefusalCodes.Protocol, "The first frame must be a hello."),
            { Version: not CommandProtocol.Version } => new Refused(RefusalCodes.Version,
                $"This host speaks command protocol {CommandProtocol.Version}, the client {hello.Version}: use a schedctl of the same release as the node."),
            _ when token is not null && !TokenMatches(hello.Token) => new Refused(RefusalCodes.Unauthorized,
                hello.Token is null ? "This command host needs a token: give it with --token-file FILE or SCHEDCTL_TOKEN." : "The token is wrong."),
            _ => admit(),
        };
        if (refusal is not null)
        {
            if (refusal.Code == RefusalCodes.Unauthorized)
                log.Warning("Command host: refused a client ({0})", refusal.Message);
            await CommandProtocol.WriteAsync(stream, refusal, timeout.Token);
            return false;
        }
        _client = $"command-host ({hello!.Client})";
        await CommandProtocol.WriteAsync(stream, new Welcome(node, palettes.Values.Select(p => p.Spec).ToList()), timeout.Token);
        return true;
    }

    /// <summary>Serves requests until the client leaves or <paramref name="stop"/> fires; then waits for the handlers to end.</summary>
    public async Task ServeAsync(CancellationToken stop)
    {
        await using var onStop = stop.Register(() => _gone.Cancel());
        try
        {
            while (await CommandProtocol.ReadAsync(stream, cancel: _gone.Token) is { } frame)
            {
                switch (frame)
                {
                    case Request request:
                        Begin(request);
                        break;
                    case Cancel cancel when _running.TryGetValue(cancel.Id, out var running):
                        try
                        {
                            await running.CancelAsync();
                        }
                        catch (ObjectDisposedException)
                        {
                            // the request ended as its cancel arrived
                        }
                        break;
                }
            }
        }
        finally
        {
            await _gone.CancelAsync();
            while (!_running.IsEmpty)
                await Task.Delay(10, CancellationToken.None); // the handlers end on the canceled token
        }
    }

    private bool TokenMatches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(token!)));

    private void Begin(Request request)
    {
        if (_running.Count >= CommandHostSettings.MaxRequestsPerConnection)
        {
            log.Warning("Command host: refused {0} {1}: the connection runs {2} commands already", request.Palette, request.Command,
                CommandHostSettings.MaxRequestsPerConnection);
            _ = EndQuietly(new End(request.Id, EndStatus.Failed, $"This connection runs {CommandHostSettings.MaxRequestsPerConnection} commands already; stop one first."));
            return;
        }
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_gone.Token);
        if (!_running.TryAdd(request.Id, cancel))
        {
            cancel.Dispose();
            _ = EndQuietly(new End(request.Id, EndStatus.Usage, $"Request {request.Id} is running already."));
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await EndQuietly(await Execute(request, cancel.Token));
            }
            finally
            {
                _running.TryRemove(request.Id, out _);
                cancel.Dispose();
            }
        }, CancellationToken.None);
    }

    /// <summary>Runs the handler; every outcome but the client's leaving becomes the request's End.</summary>
    private async Task<End> Execute(Request request, CancellationToken cancel)
    {
        try
        {
            if (!palettes.TryGetValue(request.Palette ?? "", out var palette))
                return new End(request.Id, EndStatus.Usage, $"This {node.Kind} serves no palette '{request.Palette}' (it serves {string.Join(", ", palettes.Keys)}).");
            if (palette.Find(request.Command ?? "") is not var (spec, handler))
                return new End(request.Id, EndStatus.Usage, $"Palette '{palette.Name}' has no command '{request.Command}'.");
            CommandContext.SetClient(_client);
            await handler(new CommandContext(spec, request.Arguments ?? new Dictionary<string, string>(), Send, request.Id, cancel));
            return new End(request.Id, EndStatus.Ok);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return new End(request.Id, EndStatus.Canceled);
        }
        catch (CommandUsageException e)
        {
            return new End(request.Id, EndStatus.Usage, e.Message);
        }
        catch (CommandFailedException e)
        {
            return new End(request.Id, EndStatus.Failed, e.Message);
        }
        catch (ClientGoneException)
        {
            throw;
        }
        catch (Exception e)
        {
            log.Warning("Command host: {0} {1} failed: {2}", request.Palette, request.Command, e);
            return new End(request.Id, EndStatus.Failed, $"{request.Palette} {request.Command} failed on the node: {e.Message}");
        }
    }

    private async Task EndQuietly(End end)
    {
        try
        {
            await Send(end);
        }
        catch (ClientGoneException)
        {
            // nobody is left to tell
        }
    }

    /// <summary>
    /// Writes one frame whole: a request's cancel never cuts a frame in half. An answer larger than the client
    /// accepts fails the command instead of the connection; a client that cannot be written to is gone.
    /// </summary>
    private async Task Send(Frame frame)
    {
        var bytes = CommandProtocol.Encode(frame);
        if (bytes.Length - 4 > CommandProtocol.DefaultMaxFrameBytes)
            throw new CommandFailedException($"The answer is {(bytes.Length - 4) / 1024 / 1024} MB, over the protocol's " +
                $"{CommandProtocol.DefaultMaxFrameBytes / 1024 / 1024} MB: ask for less (--limit, -n) or use --json on a narrower query.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_gone.Token);
        timeout.CancelAfter(CommandHostSettings.WriteTimeout);
        try
        {
            await _writeLock.WaitAsync(timeout.Token);
            try
            {
                await stream.WriteAsync(bytes, timeout.Token);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            if (!_gone.IsCancellationRequested)
                log.Info("Command host: a client stopped reading or left ({0}); ending its commands", e.Message);
            await _gone.CancelAsync();
            throw new ClientGoneException();
        }
    }

    private sealed class ClientGoneException : Exception;
}
