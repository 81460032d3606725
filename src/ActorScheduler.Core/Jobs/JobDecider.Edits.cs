using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// Dated edits: a replacement definition that takes effect at a future time. The job goes on as it is until then; its
/// wake-up at that time applies the edit (occurrences of the old schedule still due from before it, after downtime,
/// are recorded as skipped), and the new definition's first occurrence counts from the edit's time.
/// </summary>
public static partial class JobDecider
{
    public const string ReasonReplacedByEdit = "replaced by a dated edit";

    private static Decision ScheduleEdit(JobState state, JobDefinition definition, DateTimeOffset effectiveAt, DateTimeOffset now)
    {
        if (!state.Exists)
            return Decision.NotFound($"Job '{state.Id}' does not exist: a dated edit replaces a job; create it first.");
        if (state.Canceled)
            return Decision.Conflict($"Cannot schedule an edit of job '{state.Id}': it is canceled; replace it now to bring it back.");
        return Decision.Accept(new EditScheduled(definition, effectiveAt, now, DefinitionChanges.Between(state.Definition, definition)));
    }

    private static Decision DropPendingEdit(JobState state, DateTimeOffset now) =>
        state.PendingEdit is { } pending
            ? Decision.Accept(new EditDropped(pending.EffectiveAt, "withdrawn", now))
            : Decision.NotFound($"Job '{state.Id}' has no pending edit.");

    /// <summary>A wake-up: the pending edit first when its time has come, then the job's own due work under whichever definition is current.</summary>
    private static Decision WakeWithEdit(JobState state, DateTimeOffset now, JobLimits limits)
    {
        if (state.PendingEdit is not { } edit || edit.EffectiveAt > now)
            return state.Paused ? Probe(state, now, limits) : Wake(state, now, limits);
        var events = new EventLog(state, now, limits);
        if (state.Enabled && !state.Paused && state.NextDueAt is { } due && due < edit.EffectiveAt)
            events.Skip(RunTrigger.Schedule, Plan(state).Range(due, edit.EffectiveAt.AddTicks(-1)), ReasonReplacedByEdit);
        var firstDue = FirstDue(state, edit.Definition, edit.EffectiveAt, edit.EffectiveAt.AddTicks(-1));
        events.Add(new JobDefined(edit.Definition, false, firstDue, now, DefinitionChanges.Between(state.Definition, edit.Definition), edit.EffectiveAt)
        {
            By = edit.By,
        });
        var after = events.State;
        var rest = after.Paused ? Probe(after, now, limits) : Wake(after, now, limits);
        return rest is Accepted more ? new Accepted([.. ((Accepted)events.Decision).Events, .. more.Events]) : events.Decision;
    }
}
