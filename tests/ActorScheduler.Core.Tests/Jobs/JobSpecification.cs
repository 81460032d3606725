using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>Given events / when command at a time / then events, with no actor system and no clock.</summary>
public abstract class JobSpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    protected static readonly JobId Id = JobId.Parse("report");

    protected JobState State { get; private set; } = JobState.Empty(Id);

    /// <summary>The node's bounds the decisions are made under (the defaults unless a spec sets its own).</summary>
    protected JobLimits Limits { get; set; } = JobLimits.Default;

    protected static JobDefinition EveryMinute(Func<JobDefinition, JobDefinition>? change = null)
    {
        var definition = new JobDefinition
        {
            Id = Id.Value,
            Schedule = new ScheduleSpec { Every = new RepeatPeriod { Minutes = 1 }, Start = T0 },
            Run = new RunSpec { Shell = new ShellRunSpec { Command = ["true"] } },
        };
        return change is null ? definition : change(definition);
    }

    protected static JobDefinition OnDemand(Func<JobDefinition, JobDefinition>? change = null) =>
        EveryMinute(d => (change ?? (x => x))(d with { Schedule = null }));

    /// <summary>Decides and applies; fails the test on a refusal.</summary>
    protected IReadOnlyList<JobEvent> Do(JobCommand command, DateTimeOffset now)
    {
        var decision = JobDecider.Decide(State, command, now, Limits);
        var accepted = Assert.IsType<Accepted>(decision, exactMatch: false);
        foreach (var e in accepted.Events)
            State = State.Apply(e);
        return accepted.Events;
    }

    protected Rejected Refused(JobCommand command, DateTimeOffset now)
    {
        var rejected = Assert.IsType<Rejected>(JobDecider.Decide(State, command, now, Limits), exactMatch: false);
        return rejected;
    }

    protected IReadOnlyList<JobEvent> Wake(DateTimeOffset now) => Do(new WakeUp(State.Generation), now);

    protected RunRecord InFlight(int index = 0) => State.InFlight[index];

    protected IReadOnlyList<JobEvent> Start(RunRecord run, DateTimeOffset now, string worker = "w1") =>
        Do(new ReportRunStarted(run.RunId, run.FencingToken, worker), now);

    protected IReadOnlyList<JobEvent> Finish(RunRecord run, RunStatus outcome, DateTimeOffset now) =>
        Do(new ReportRunFinished(run.RunId, run.FencingToken, outcome, outcome == RunStatus.Succeeded ? 0 : 1), now);

    protected static T Single<T>(IEnumerable<JobEvent> events) where T : JobEvent =>
        Assert.Single(events.OfType<T>());

    protected static string Json(JobState state) => JsonSerializer.Serialize(state, CoreJson.Options);
}
