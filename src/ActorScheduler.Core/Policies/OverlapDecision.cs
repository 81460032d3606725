using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Policies;

/// <summary>What to do with an occurrence that comes due while the job has runs in flight.</summary>
public enum OverlapAction
{
    /// <summary>Nothing in flight (or the policy allows parallel runs): start it.</summary>
    Start,
    /// <summary>Hold it until the current run ends (bufferOne with a free slot).</summary>
    Buffer,
    /// <summary>Do not run it; record why.</summary>
    Skip,
    /// <summary>Cancel the runs in flight, then start it.</summary>
    ReplaceRunning,
}

public static class OverlapDecision
{
    public const string SkippedWhileRunning = "overlap: the previous run was still running";
    public const string SkippedBufferFull = "overlap: a run was already buffered";

    public static (OverlapAction Action, string? Reason) Decide(OverlapPolicy policy, int runsInFlight, bool bufferTaken)
    {
        if (runsInFlight == 0)
            return (OverlapAction.Start, null);
        return policy switch
        {
            OverlapPolicy.Allow => (OverlapAction.Start, null),
            OverlapPolicy.Replace => (OverlapAction.ReplaceRunning, null),
            OverlapPolicy.BufferOne when !bufferTaken => (OverlapAction.Buffer, null),
            OverlapPolicy.BufferOne => (OverlapAction.Skip, SkippedBufferFull),
            _ => (OverlapAction.Skip, SkippedWhileRunning),
        };
    }
}
