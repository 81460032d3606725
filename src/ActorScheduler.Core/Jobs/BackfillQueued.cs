namespace ActorScheduler.Core.Jobs;

/// <summary>What a backfill queued: how many runs, and the occurrences of the first and the last.</summary>
public sealed record BackfillQueued(int Count, DateTimeOffset First, DateTimeOffset Last)
{
    /// <summary>Read from a backfill's events: its backlog as queued, or the runs it started at once; null for any other decision.</summary>
    public static BackfillQueued? Of(IReadOnlyList<JobEvent> events)
    {
        if (events.OfType<CatchUpQueued>().FirstOrDefault(q => q.Trigger == RunTrigger.Backfill) is { } queued)
            return new BackfillQueued(queued.Count, queued.First, queued.Through);
        var started = events.OfType<RunDispatched>().Where(d => d.Trigger == RunTrigger.Backfill).Select(d => d.ScheduledFor).ToList();
        return started.Count == 0 ? null : new BackfillQueued(started.Count, started.Min(), started.Max());
    }
}
