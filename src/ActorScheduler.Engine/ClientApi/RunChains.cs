using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>Where a run a client awaits stands, judged from what the job shows of itself.</summary>
public abstract record AwaitedRunStanding
{
    /// <summary>Not over yet: queued behind a running one, pending, running, or about to be retried.</summary>
    public sealed record Pending : AwaitedRunStanding;

    /// <summary>Over for good; <paramref name="Final"/> is the attempt that ended it.</summary>
    public sealed record Settled(RunView Final) : AwaitedRunStanding;

    public sealed record Unknown(string Message) : AwaitedRunStanding;

    /// <summary>This attempt failed with attempts left: the outcome is that of the last retry (see <see cref="RunChains.AfterRetries"/>).</summary>
    public sealed record Retrying(RunView Attempt) : AwaitedRunStanding;
}

/// <summary>
/// A failed attempt that the retry policy repeats is followed by a new run whose <c>retryOf</c> names it: a chain
/// <c>r1 ← r2 ← r3</c>. A client awaiting <c>r1</c> wants the chain's end, and only the last attempt's end is
/// announced on <see cref="Protocol.RunOutcomes.Topic"/>. Pure: the views come in, the verdict goes out.
/// </summary>
public static class RunChains
{
    /// <param name="run">The awaited run's view; null when the job does not know it.</param>
    /// <param name="job">The job's view; null when the job does not exist.</param>
    public static AwaitedRunStanding Judge(RunId awaited, RunView? run, JobView? job)
    {
        if (job is null)
            return new AwaitedRunStanding.Unknown($"Job '{awaited.Job}' does not exist.");
        if (run is null)
            // A run buffered behind a running one (overlap bufferOne) has its id before it exists as a run; it
            // numbers after every run the job shows. Anything older is gone from the history, or never was.
            return job.LastRun is { } last && RunId.TryParse(last.RunId, out var lastId) && awaited.Sequence > lastId.Sequence
                ? new AwaitedRunStanding.Pending()
                : new AwaitedRunStanding.Unknown(
                    $"Run '{awaited}' does not exist, or is older than the {JobState.RecentRunLimit} runs job '{awaited.Job}' keeps.");
        if (!run.Status.IsFinished())
            return new AwaitedRunStanding.Pending();
        return RetryFollows(run, job) ? new AwaitedRunStanding.Retrying(run) : new AwaitedRunStanding.Settled(run);
    }

    /// <summary>The chain's verdict from the job's runs: settled by its last attempt, or still going.</summary>
    public static AwaitedRunStanding AfterRetries(RunView attempt, IReadOnlyList<RunView> runs, JobView job)
    {
        var last = LastAttempt(attempt, runs);
        return last.Status.IsFinished() && !RetryFollows(last, job)
            ? new AwaitedRunStanding.Settled(last)
            : new AwaitedRunStanding.Pending();
    }

    /// <summary>Follows <c>retryOf</c> forward from <paramref name="first"/> to the newest attempt the job shows.</summary>
    public static RunView LastAttempt(RunView first, IReadOnlyList<RunView> runs)
    {
        var next = runs.Where(r => r.RetryOf is not null).ToDictionary(r => r.RetryOf!);
        var current = first;
        while (next.TryGetValue(current.RunId, out var retry) && retry.RunId != first.RunId)
            current = retry;
        return current;
    }

    /// <summary>
    /// The retry policy repeats a failed attempt while attempts are left, unless the job is canceled (the same
    /// rule the job applies when the attempt ends; a run canceled on request ends canceled, not failed).
    /// </summary>
    public static bool RetryFollows(RunView run, JobView job) =>
        run.Status.IsFailure() && run.Attempt < job.Definition.EffectiveRetry.MaxAttempts && job.Status != JobStatus.Canceled;
}
