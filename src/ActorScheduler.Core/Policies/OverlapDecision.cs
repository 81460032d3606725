using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Policies;

/// <summary>What to do with an occurrence that comes due while the job has runs in flight.</summary>
public enum OverlapAction
{
    /// <summary>Nothing in flight (or the policy allows parallel runs): start it.</summary>
    Start,
    /// <summary>Hold it until the runs before it have ended (bufferOne with a free slot, bufferAll below its cap).</summary>
    Buffer,
    /// <summary>Do not run it; record why.</summary>
    Skip,
    /// <summary>Cancel the runs in flight and start it at once, beside them while they stop (terminateOther, replace).</summary>
    ReplaceRunning,
    /// <summary>Cancel the runs in flight and start it once they have ended (cancelOther).</summary>
    CancelThenStart,
}

/// <summary>
/// The overlap policies, as Temporal's: skip, bufferOne, bufferAll (waiting in order, at most <c>waitingLimit</c>),
/// allow, cancelOther (graceful: the new run waits for the canceled one to end) and terminateOther (the new run starts
/// at once while the old one is killed); <c>replace</c>, older than the split, keeps its meaning: terminateOther.
/// </summary>
public static class OverlapDecision
{
    public const string SkippedWhileRunning = "overlap: the previous run was still running";
    public const string SkippedBufferFull = "overlap: a run was already buffered";
    public const string ReplacedWhileWaiting = "overlap: replaced by a newer run while it waited (cancelOther)";

    /// <summary>bufferAll's reason once <paramref name="limit"/> runs wait.</summary>
    public static string SkippedQueueFull(int limit) =>
        $"overlap: {limit} runs already waiting, the most bufferAll holds (actor-scheduler.scheduler.max-runs-in-flight)";

    /// <param name="runsInFlight">Runs the job has in flight or waiting for a retry.</param>
    /// <param name="waiting">Runs buffered behind them (bufferOne holds one, bufferAll up to <paramref name="waitingLimit"/>).</param>
    public static (OverlapAction Action, string? Reason) Decide(OverlapPolicy policy, int runsInFlight, int waiting, int waitingLimit)
    {
        if (runsInFlight == 0)
            return (OverlapAction.Start, null);
        return policy switch
        {
            OverlapPolicy.Allow => (OverlapAction.Start, null),
            OverlapPolicy.Replace or OverlapPolicy.TerminateOther => (OverlapAction.ReplaceRunning, null),
            OverlapPolicy.CancelOther => (OverlapAction.CancelThenStart, null),
            OverlapPolicy.BufferOne when waiting == 0 => (OverlapAction.Buffer, null),
            OverlapPolicy.BufferOne => (OverlapAction.Skip, SkippedBufferFull),
            OverlapPolicy.BufferAll when waiting < waitingLimit => (OverlapAction.Buffer, null),
            OverlapPolicy.BufferAll => (OverlapAction.Skip, SkippedQueueFull(waitingLimit)),
            _ => (OverlapAction.Skip, SkippedWhileRunning),
        };
    }
}
