using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Engine.Telemetry;
using Akka.Actor;

namespace ActorScheduler.Engine.Retention;

/// <summary>What one step removed, and the job after which the pass goes on (null: the pass is over).</summary>
public sealed record RetentionStep(JobId? Next, int Jobs, long Runs, long Events, long JobsRemoved, int Capped)
{
    public static readonly RetentionStep Nothing = new(null, 0, 0, 0, 0, 0);

    public RetentionStep Add(RetentionStep step) =>
        new(step.Next, Jobs + step.Jobs, Runs + step.Runs, Events + step.Events, JobsRemoved + step.JobsRemoved, Capped + step.Capped);
}

/// <summary>
/// One step of a retention pass over the job list, in id order: the next page of jobs, each with its retention (the
/// node's, overridden by its own, <see cref="RetentionRules"/>); their runs and covered journal events trimmed
/// in one write of the journal's writer; and each job whose list row says it may have ended for long enough asked to
/// remove itself — the job decides by its own state, one job at a time.
/// </summary>
public sealed class RetentionPass(IndexTables index, Func<TableWrite, Task<WriteOutcome>> write, IActorRef jobs, RetentionSettings settings, TimeSpan askTimeout)
{
    public async Task<RetentionStep> Step(JobId? after, DateTimeOffset now)
    {
        var views = index.List(new JobListQuery(null, null, null, settings.PageSize, after)).Select(CoreJson.Deserialize<JobView>).ToList();
        if (views.Count == 0)
            return RetentionStep.Nothing;
        var policy = settings.Policy;
        var runs = views
            .Select(view => (Job: JobId.Parse(view.Id), Trim: RetentionRules.Runs(policy, view.Definition.Retention, now)))
            .Where(job => !job.Trim.RemovesNothing)
            .Select(job => new RunTrimRequest(job.Job, job.Trim.Before?.UtcTicks, job.Trim.KeepLast))
            .ToList();
        var journalBefore = RetentionRules.JournalBefore(policy, now);
        var journal = journalBefore is null ? [] : views.Select(view => JobId.Parse(view.Id)).ToList();
        var trimmed = new Trimmed(0, 0, 0, 0);
        if (runs.Count > 0 || journal.Count > 0)
        {
            var outcome = await write(new TrimJobs(runs, journal, journalBefore?.UtcTicks ?? 0, settings.MaxRowsPerStep));
            trimmed = outcome as Trimmed ?? throw (outcome as WriteFailed)?.Error ?? new InvalidOperationException($"Unexpected {outcome}.");
        }
        EngineMetrics.RetentionRemoved("runs", trimmed.Runs);
        EngineMetrics.RetentionRemoved("events", trimmed.Events);
        for (var i = 0; i < trimmed.RunsCapped; i++) EngineMetrics.RetentionStepCapped("runs");
        for (var i = 0; i < trimmed.EventsCapped; i++) EngineMetrics.RetentionStepCapped("events");

        var removed = 0;
        foreach (var view in views.Where(view => MayHaveEnded(view, policy, now)))
            if (await jobs.Ask<JobReply>(new JobEnvelope(JobId.Parse(view.Id), new RemoveIfEnded(policy)), askTimeout) is RetentionChecked { Removed: true })
                removed++;
        JobId? next = views.Count < settings.PageSize ? null : JobId.Parse(views[^1].Id);
        return new RetentionStep(next, views.Count, trimmed.Runs, trimmed.Events, removed, trimmed.RunsCapped + trimmed.EventsCapped);
    }

    /// <summary>By its list row: ended, with a removal period that has passed since its last change (unknown: ask it).</summary>
    private static bool MayHaveEnded(JobView view, RetentionPolicy policy, DateTimeOffset now) =>
        RetentionRules.RemoveAfter(policy, view.Definition.Retention, view.Status) is { } after &&
        (view.UpdatedAt is not { } updated || now - updated >= after);
}
