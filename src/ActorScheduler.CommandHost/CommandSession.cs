using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ActorScheduler.Commands;
using Akka.Event;

namespace ActorScheduler.CommandHost;

/// <summary>
/// One client's conversation: the handshake (version and token), then requests run concurrently (at most
/// <see cref="CommandHostSettings.MaxRequestsPerConnection"/>), their output frames written one at a time, each
/// request ended by exactly one <see cref="End"/>. A client that goes away cancels everything it started.
/// </summary>
internal sealed class CommandSession(Stream stream, string? token, NodeInfo node, IReadOnlyDictionary<string, Palette> palettes, ILoggingAdapter log)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _running = new();

    public async Task RunAsync(CancellationToken stop)
    {
        if (!await HandshakeAsync(stop))
            return;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (await CommandProtocol.ReadAsync(stream, cancel: gone.Token) is { } frame)
            {
                switch (frame)
                {
                    case Request request:
                        Begin(request, gone.Token);
                        break;
                    case Cancel cancel when _running.TryGetValue(cancel.Id, out var running):
                        await running.CancelAsync();
                        break;
                }
            }
        }
        finally
        {
            await gone.CancelAsync();
            while (!_running.IsEmpty)
                await Task.Delay(10, CancellationToken.None); // the handlers end on the canceled token; their Ends fail quietly
        }
    }

    private async Task<bool> HandshakeAsync(CancellationToken stop)
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
            _ => null,
        };
        if (refusal is not null)
        {
            if (refusal.Code == RefusalCodes.Unauthorized)
                log.Warning("Command host: refused a client ({0})", refusal.Message);
            await CommandProtocol.WriteAsync(stream, refusal, timeout.Token);
            return false;
        }
        await CommandProtocol.WriteAsync(stream, new Welcome(node, palettes.Values.Select(p => p.Spec).ToList()), timeout.Token);
        return true;
    }

    private bool TokenMatches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(token!)));

    private void Begin(Request request, CancellationToken gone)
    {
        if (_running.Count >= CommandHostSettings.MaxRequestsPerConnection)
        {
            log.Warning("Command host: refused {0} {1}: the connection runs {2} commands already", request.Palette, request.Command,
                CommandHostSettings.MaxRequestsPerConnection);
            _ = Send(new End(request.Id, EndStatus.Failed,
                $"This connection runs {CommandHostSettings.MaxRequestsPerConnection} commands already; stop one first."), gone);
            return;
        }
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(gone);
        if (!_running.TryAdd(request.Id, cancel))
        {
            cancel.Dispose();
            _ = Send(new End(request.Id, EndStatus.Usage, $"Request {request.Id} is running already."), gone);
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await Send(await Execute(request, cancel.Token, gone), gone);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away
            }
            finally
            {
                _running.TryRemove(request.Id, out _);
                cancel.Dispose();
            }
        }, CancellationToken.None);
    }

    private async Task<End> Execute(Request request, CancellationToken cancel, CancellationToken gone)
    {
        if (!palettes.TryGetValue(request.Palette, out var palette))
            return new End(request.Id, EndStatus.Usage, $"This {node.Kind} serves no palette '{request.Palette}' (it serves {string.Join(", ", palettes.Keys)}).");
        if (palette.Find(request.Command) is not var (spec, handler))
            return new End(request.Id, EndStatus.Usage, $"Palette '{palette.Name}' has no command '{request.Command}'.");
        var context = new CommandContext(spec, request.Arguments, output => Send(output, gone), request.Id, cancel);
        try
        {
            await handler(context);
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
        catch (Exception e) when (e is not IOException)
        {
            log.Warning("Command host: {0} {1} failed: {2}", request.Palette, request.Command, e);
            return new End(request.Id, EndStatus.Failed, $"{request.Palette} {request.Command} failed on the node: {e.Message}");
        }
    }

    /// <summary>Writes one frame whole: a request's cancel never cuts a frame in half (only the client's leaving does).</summary>
    private async Task Send(Frame frame, CancellationToken cancel)
    {
        await _writeLock.WaitAsync(cancel);
        try
        {
            await CommandProtocol.WriteAsync(stream, frame, cancel);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
