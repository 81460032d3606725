namespace ActorScheduler.Core.Jobs;

// Wire contracts (API and journal): append only, never renumber. Names are camelCased on the wire.

public enum JobStatus { Waiting = 0, Scheduled = 1, Running = 2, Paused = 3, Done = 4, Error = 5, Canceled = 6 }

public enum RunStatus { Pending = 0, Running = 1, Succeeded = 2, Failed = 3, TimedOut = 4, Canceled = 5, Lost = 6 }

public enum RunTrigger { Schedule = 0, Manual = 1, Event = 2, Retry = 3, CatchUp = 4, Backfill = 5, Probe = 6 }

public static class RunStatusExtensions
{
    public static bool IsFinished(this RunStatus status) => status is not (RunStatus.Pending or RunStatus.Running);

    /// <summary>Outcomes the retry policy treats as a failed attempt.</summary>
    public static bool IsFailure(this RunStatus status) =>
        status is RunStatus.Failed or RunStatus.TimedOut or RunStatus.Lost;
}
