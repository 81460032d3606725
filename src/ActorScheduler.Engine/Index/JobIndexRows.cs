using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Triggers;

namespace ActorScheduler.Engine.Index;

/// <summary>A job's row in the index, derived from its state alone (the entity and the bulk creator both write it).</summary>
public static class JobIndexRows
{
    /// <summary>While runs are in flight the row asks for a check this soon, even if nothing is due.</summary>
    public static readonly TimeSpan InFlightCheck = TimeSpan.FromMinutes(1);

    /// <summary>
    /// While runs are in flight the row asks for a check within <see cref="InFlightCheck"/>, so that after a
    /// crash the job is recovered and its runs reconciled, not left "running" until its next occurrence.
    /// </summary>
    public static JobIndexRow For(JobState state, int shardCount, DateTimeOffset now, bool triggersChanged)
    {
        var definition = state.Definition;
        var check = now + InFlightCheck;
        var wakeAt = state.InFlight.IsEmpty || state.NextWakeAt < check ? state.NextWakeAt : check;
        return new JobIndexRow(
            state.Id.Value, JobSharding.ShardOf(state.Id.Value, shardCount), state.Version, state.Status,
            definition.Worker, definition.Tags ?? [], wakeAt, state.Generation,
            state,
            triggersChanged ? TriggerRouter.KeysOf(state) : null);
    }
}
