using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using static ActorScheduler.Core.Jobs.Transitions;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// Every (status, command) pair: a job is put in the status by real commands, then sent a representative
/// command of each kind. The table's refusals must come back as refusals, its no-ops as no events, and the
/// allowed commands must be accepted and land in the status this grid expects.
/// </summary>
public sealed class TransitionTableSpecs : JobSpecification
{
    // Expected outcome per row (none, waiting, scheduled, running, paused, done, error, canceled) and column
    // (CommandKind order): a JobStatus name = accepted and now in that status, "404"/"409" = refused by the
    // table, "-" = no job afterwards. Allowed by the table but refused by the command's own rules:
    // "stale" = no run in flight to report on, "norun" = no such run to cancel, "busy" = a run is in flight
    // and the overlap policy (skip) refuses a manual trigger. An error job stays "error" until a run succeeds.
    public static TheoryData<string, CommandKind, string> Grid()
    {
        string[] rows =
        [
            // Create    Replace    Enable     Disable   Pause   Resume     Reschedule Trigger  WakeUp     CancelJob CancelRun  RunReport
            "none      scheduled scheduled 404       404       404     404        404        404      -          404       404        404",
            "waiting   409       waiting   waiting   waiting   paused  waiting    scheduled  running  waiting    canceled  norun      stale",
            "scheduled 409       scheduled scheduled waiting   paused  scheduled  scheduled  running  running    canceled  norun      stale",
            "running   409       running   running   running   paused  running    running    busy     running    canceled  running    running",
            "paused    409       paused    paused    paused    paused  running    paused     busy     paused     canceled  paused     paused",
            "done      409       done      done      waiting   409     done       scheduled  running  done       canceled  done       stale",
            "error     409       error     error     error     paused  error      error      running  error      canceled  error      stale",
            "canceled  409       running   409       409       409     409        409        409      canceled   canceled  canceled   canceled",
        ];
        var data = new TheoryData<string, CommandKind, string>();
        foreach (var row in rows)
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var column = 0; column < Enum.GetValues<CommandKind>().Length; column++)
                data.Add(cells[0], (CommandKind)column, cells[column + 1]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Should_follow_the_transition_table(string from, CommandKind command, string expected)
    {
        Arrange(from);
        var verdict = For(from == "none" ? null : Enum.Parse<JobStatus>(from, true), command);
        var decision = JobDecider.Decide(State, CommandFor(command), T0.AddMinutes(1));

        switch (expected)
        {
            case "404" or "409":
                Assert.Equal(expected == "404" ? Verdict.NotFound : Verdict.Conflict, verdict);
                var rejected = Assert.IsType<Rejected>(decision);
                Assert.Equal(expected == "404" ? RejectionKind.NotFound : RejectionKind.Conflict, rejected.Kind);
                break;
            case "stale" or "norun" or "busy":
                Assert.Equal(Verdict.Allowed, verdict);
                var kind = expected switch { "stale" => RejectionKind.Stale, "norun" => RejectionKind.NotFound, _ => RejectionKind.Conflict };
                Assert.Equal(kind, Assert.IsType<Rejected>(decision).Kind);
                break;
            default:
                var accepted = Assert.IsType<Accepted>(decision);
                if (verdict == Verdict.NoOp)
                    Assert.Empty(accepted.Events);
                else
                    Assert.Equal(Verdict.Allowed, verdict);
                var after = accepted.Events.Aggregate(State, (s, e) => s.Apply(e));
                Assert.Equal(expected, after.Exists ? after.Status.ToString().ToLowerInvariant() : "-");
                break;
        }
    }

    /// <summary>Puts the job into a status by the commands a user and the engine would send.</summary>
    private void Arrange(string status)
    {
        switch (status)
        {
            case "none":
                return;
            case "waiting":
                Do(new DefineJob(OnDemand(), true), T0);
                break;
            case "scheduled":
                Do(new DefineJob(EveryMinute(), true), T0);
                break;
            case "running" or "paused" or "canceled":
                Do(new DefineJob(OnDemand(), true), T0);
                Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
                Start(InFlight(), T0);
                if (status == "paused") Do(new PauseJob("ops"), T0);
                if (status == "paused") Do(new RescheduleJob(T0.AddMinutes(1)), T0);
                if (status == "canceled") Do(new CancelJob(null), T0);
                break;
            case "done":
                Do(new DefineJob(EveryMinute(d => d with { Schedule = new ScheduleSpec { At = T0.AddSeconds(1) } }), true), T0);
                Wake(T0.AddSeconds(1));
                Finish(InFlight(), RunStatus.Succeeded, T0.AddSeconds(2));
                break;
            case "error":
                Do(new DefineJob(OnDemand(), true), T0);
                Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
                Finish(InFlight(), RunStatus.Failed, T0);
                break;
        }
        Assert.Equal(status, State.Status.ToString().ToLowerInvariant());
    }

    private JobCommand CommandFor(CommandKind kind)
    {
        var run = State.InFlight.FirstOrDefault() ?? State.Recent.FirstOrDefault();
        var runId = run?.RunId ?? new RunId(Id, 1);
        return kind switch
        {
            CommandKind.Create => new DefineJob(EveryMinute(), true),
            CommandKind.Replace => new DefineJob(State.Exists ? State.Definition : EveryMinute(), false),
            CommandKind.Enable => new EnableJob(),
            CommandKind.Disable => new DisableJob(),
            CommandKind.Pause => new PauseJob("ops"),
            CommandKind.Resume => new ResumeJob(),
            CommandKind.Reschedule => new RescheduleJob(T0.AddHours(1)),
            CommandKind.Trigger => new TriggerJob(RunTrigger.Manual, null, null),
            CommandKind.WakeUp => new WakeUp(State.Generation),
            CommandKind.CancelJob => new CancelJob(null),
            CommandKind.CancelRun => new CancelRun(runId, null),
            CommandKind.RunReport => new ReportRunProgress(runId, run?.FencingToken ?? 1, 1, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
