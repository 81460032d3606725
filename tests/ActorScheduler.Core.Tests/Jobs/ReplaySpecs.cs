using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using FsCheck.Xunit;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// For any sequence of commands, folding the journaled events from an empty state gives exactly the state the
/// live job reached: Apply reads no clock and Decide's events carry everything.
/// </summary>
public sealed class ReplaySpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly JobId Id = JobId.Parse("replayed");

    [Property(MaxTest = 300)]
    public void Should_rebuild_the_live_state_when_replaying_the_events_of_any_command_sequence(byte[] script, bool fireAll, byte overlap)
    {
        var live = JobState.Empty(Id);
        var journal = new List<JobEvent>();
        var now = T0;
        var definition = Definition(fireAll, (OverlapPolicy)(overlap % 4));
        foreach (var step in script)
        {
            now = now.AddSeconds(step >> 3);
            if (JobDecider.Decide(live, Command(step & 0b111, step >> 4, live, definition), now) is not Accepted accepted)
                continue;
            foreach (var e in accepted.Events)
            {
                live = live.Apply(e);
                journal.Add(e);
            }
        }

        var replayed = journal.Aggregate(JobState.Empty(Id), (state, e) => state.Apply(e));

        Assert.Equal(Json(live), Json(replayed));
    }

    [Property(MaxTest = 300)]
    public void Should_hand_over_with_a_decision_the_state_its_events_fold_to(byte[] script, bool fireAll, byte overlap)
    {
        // A job takes Accepted.After instead of folding its stored events again: the two must never differ.
        var state = JobState.Empty(Id);
        var now = T0;
        var definition = Definition(fireAll, (OverlapPolicy)(overlap % 4));
        foreach (var step in script)
        {
            now = now.AddSeconds(step >> 3);
            if (JobDecider.Decide(state, Command(step & 0b111, step >> 4, state, definition), now) is not Accepted accepted)
                continue;
            var folded = accepted.Events.Aggregate(state, (s, e) => s.Apply(e));
            if (accepted.After is { } after)
            {
                Assert.Equal(Json(folded), Json(after));
                Assert.Equal(folded.Generation, after.Generation);
            }
            state = folded;
        }
    }

    [Fact]
    public void Should_hand_over_the_state_after_a_wake_up_that_dispatches_a_run()
    {
        var defined = Assert.IsType<Accepted>(JobDecider.Decide(JobState.Empty(Id), new DefineJob(Definition(false, OverlapPolicy.Skip), false), T0));
        var state = defined.Events.Aggregate(JobState.Empty(Id), (s, e) => s.Apply(e));
        var woken = Assert.IsType<Accepted>(JobDecider.Decide(state, new WakeUp(state.Generation), state.NextDueAt!.Value));

        var after = Assert.IsType<JobState>(woken.After);
        Assert.Contains(woken.Events, e => e is RunDispatched);
        Assert.Single(after.InFlight);
        Assert.Equal(state.Version + woken.Events.Count, after.Version);
    }

    [Property(MaxTest = 300)]
    public void Should_never_move_the_next_wake_up_into_the_past_of_a_decision(byte[] script)
    {
        var state = JobState.Empty(Id);
        var now = T0;
        foreach (var step in script)
        {
            now = now.AddSeconds(step >> 3);
            if (JobDecider.Decide(state, Command(step & 0b111, step >> 4, state, Definition(false, OverlapPolicy.BufferOne)), now) is Accepted accepted)
                state = accepted.Events.Aggregate(state, (s, e) => s.Apply(e));
            if (state.NextWakeAt is { } wake && wake <= now)
            {
                var woken = Assert.IsType<Accepted>(JobDecider.Decide(state, new WakeUp(state.Generation), now));
                state = woken.Events.Aggregate(state, (s, e) => s.Apply(e));
                Assert.True(state.NextDueAt is null || state.NextDueAt > now, "after a wake-up nothing scheduled may remain overdue");
            }
        }
    }

    private static JobDefinition Definition(bool fireAll, OverlapPolicy overlap) => new()
    {
        Id = Id.Value,
        Schedule = new ScheduleSpec { Cron = "*/20 * * * * *", TimeZone = "Europe/Amsterdam" },
        Run = new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } },
        Retry = new RetrySpec { MaxAttempts = 3, Delay = TimeSpan.FromSeconds(5) },
        Overlap = overlap,
        Misfire = new MisfireSpec { Policy = fireAll ? MisfirePolicy.FireAll : MisfirePolicy.FireOnce, CatchUpWindow = TimeSpan.FromMinutes(2) },
    };

    private static JobCommand Command(int choice, int detail, JobState state, JobDefinition definition)
    {
        var run = state.InFlight.IsEmpty ? null : state.InFlight[detail % state.InFlight.Count];
        return (choice, run) switch
        {
            (0, _) => new DefineJob(definition, CreateOnly: detail % 2 == 0),
            (1, _) => new WakeUp(state.Generation),
            (2, _) => new TriggerJob(detail % 2 == 0 ? RunTrigger.Manual : RunTrigger.Event, null, null),
            (3, { Status: RunStatus.Pending } r) when detail % 3 == 0 => new RedispatchRun(r.RunId),
            (3, { Status: RunStatus.Pending } r) => new ReportRunStarted(r.RunId, r.FencingToken, "w"),
            (3 or 4, { } r) => new ReportRunFinished(r.RunId, r.FencingToken, (RunStatus)(2 + detail % 5)),
            (5, _) => (detail % 4) switch { 0 => new PauseJob("p"), 1 => new ResumeJob(), 2 => new DisableJob(), _ => new EnableJob() },
            (6, _) => detail % 3 == 0 ? new CancelJob(null) : new RescheduleJob(T0.AddMinutes(detail * 20)),
            _ => new WakeUp(state.Generation),
        };
    }

    private static string Json(JobState state) => System.Text.Json.JsonSerializer.Serialize(state, CoreJson.Options);
}
