namespace ActorScheduler.Cli.Running;

/// <summary>
/// Ctrl-C. The first press stops the running request (the host is asked to cancel it and its End is awaited, so a
/// tail ends cleanly and the connection stays usable); a second press, or one while nothing runs, is left to end
/// the process as usual.
/// </summary>
internal sealed class Interrupts
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;

    /// <summary>Marks a request as running; dispose the answer when it has ended.</summary>
    public Scope BeginRequest()
    {
        lock (_gate)
        {
            _current = new CancellationTokenSource();
            return new Scope(this, _current);
        }
    }

    /// <summary>True when a running request was told to stop, false when the process should end now.</summary>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (_current is not { IsCancellationRequested: false } running)
                return false;
            running.Cancel();
            return true;
        }
    }

    public sealed class Scope(Interrupts owner, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            lock (owner._gate)
            {
                if (owner._current == source)
                    owner._current = null;
            }
            source.Dispose();
        }
    }
}
