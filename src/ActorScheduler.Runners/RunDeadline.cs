namespace ActorScheduler.Runners;

/// <summary>
/// Joins the caller's cancellation with the run's timeout and tells the two apart afterwards: the caller's
/// cancel ends a run Canceled, the deadline ends it TimedOut (the retry policy treats only the latter as a
/// failed attempt). The clock starts when the deadline is created.
/// </summary>
internal sealed class RunDeadline : IDisposable
{
    // CancellationTokenSource refuses longer delays; a timeout beyond ~49 days is as good as none.
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeSpan? timeout;
    private readonly CancellationToken callerCancel;
    private readonly CancellationTokenSource linked;

    public RunDeadline(TimeSpan? timeout, CancellationToken callerCancel)
    {
        this.timeout = timeout is { } t && t <= Longest ? (t < TimeSpan.Zero ? TimeSpan.Zero : t) : null;
        this.callerCancel = callerCancel;
        linked = CancellationTokenSource.CreateLinkedTokenSource(callerCancel);
        if (this.timeout is { } limit) linked.CancelAfter(limit);
    }

    public CancellationToken Token => linked.Token;

    public bool IsOver => linked.IsCancellationRequested;

    public RunResult Aborted(string output) => callerCancel.IsCancellationRequested
        ? RunResult.Canceled("canceled", output)
        : RunResult.TimedOut($"timed out after {Describe(timeout ?? TimeSpan.Zero)}", output);

    public void Dispose() => linked.Dispose();

    internal static string Describe(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
