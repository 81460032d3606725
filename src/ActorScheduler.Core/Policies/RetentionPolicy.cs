using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Policies;

/// <summary>
/// The node's retention (<c>actor-scheduler.retention</c>); null keeps forever. Finished runs are kept
/// <paramref name="RunsMaxAge"/> (by the time they were due) and/or the last <paramref name="RunsKeepLast"/> per job; a
/// job that has ended is removed, journal and runs with it, <paramref name="DoneJobsAfter"/>,
/// <paramref name="CanceledJobsAfter"/> or <paramref name="FailedJobsAfter"/> after its last change; journal events a
/// snapshot covers are deleted once older than <paramref name="JournalMaxAge"/>. A job's <see cref="RetentionSpec"/>
/// overrides the runs and removal parts.
/// </summary>
public sealed record RetentionPolicy(
    TimeSpan? RunsMaxAge,
    int? RunsKeepLast,
    TimeSpan? DoneJobsAfter,
    TimeSpan? CanceledJobsAfter,
    TimeSpan? FailedJobsAfter,
    TimeSpan? JournalMaxAge)
{
    public static readonly RetentionPolicy KeepEverything = new(null, null, null, null, null, null);
}

/// <summary>A job's effective run retention: runs due before <see cref="Before"/> go, and all but the newest <see cref="KeepLast"/>.</summary>
public sealed record RunTrim(DateTimeOffset? Before, int? KeepLast)
{
    public bool RemovesNothing => Before is null && KeepLast is null;
}

/// <summary>Pure retention decisions: what may go, given the node's policy, the job's override and the time now.</summary>
public static class RetentionRules
{
    /// <summary>The finished runs of a job that may be removed now (runs in flight never are; see the caller's SQL).</summary>
    public static RunTrim Runs(RetentionPolicy node, RetentionSpec? job, DateTimeOffset now)
    {
        var maxAge = job?.Runs?.MaxAge ?? node.RunsMaxAge;
        return new RunTrim(maxAge is { } age ? now - age : null, job?.Runs?.KeepLast ?? node.RunsKeepLast);
    }

    /// <summary>Journal events older than this (and covered by a snapshot) may be deleted; null: none.</summary>
    public static DateTimeOffset? JournalBefore(RetentionPolicy node, DateTimeOffset now) =>
        node.JournalMaxAge is { } age ? now - age : null;

    /// <summary>
    /// How long after its last change a job whose list status is <paramref name="status"/> is removed; null when never
    /// (a job that has not ended, or whose kind the policy keeps). A job's own <c>removeAfter</c> applies to every end.
    /// </summary>
    public static TimeSpan? RemoveAfter(RetentionPolicy node, RetentionSpec? job, JobStatus status) => status switch
    {
        JobStatus.Done => job?.RemoveAfter ?? node.DoneJobsAfter,
        JobStatus.Canceled => job?.RemoveAfter ?? node.CanceledJobsAfter,
        JobStatus.Error => job?.RemoveAfter ?? node.FailedJobsAfter,
        _ => null,
    };

    /// <summary>
    /// Whether the job may be removed now, by its own state (the authority; the list row only nominates it): it has
    /// ended — canceled, or its schedule or run limit spent, with nothing in flight and no retry, buffered run or catch-up
    /// waiting — and its removal
    /// period has passed since <paramref name="endedAt"/>, its last change. A paused job has not ended.
    /// </summary>
    public static bool MayRemove(JobState state, RetentionPolicy node, DateTimeOffset endedAt, DateTimeOffset now)
    {
        if (!state.Exists || !state.InFlight.IsEmpty || !state.Retries.IsEmpty || state.Buffered is not null || state.Backlog is not null)
            return false;
        // Failed last time: ended only as a done job would be (its schedule or its run limit spent), not while more may come.
        if (state.Status is JobStatus.Error && (state.NextDueAt is not null || !(state.RunLimitReached || (state.Enabled && state.Definition.HasSchedule))))
            return false;
        return RemoveAfter(node, state.Definition.Retention, state.Status) is { } after && now - endedAt >= after;
    }
}
