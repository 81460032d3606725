using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// Fan-in: <c>{"all": [a succeeded, b succeeded, event x], "within": "PT1H"}</c> runs the job once when every part
/// arrived within the window, with each part's data under its name; parts older than the window are forgotten.
/// </summary>
public sealed class FanInSpecs : JobSpecification
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static readonly TriggerSpec AllOf = new()
    {
        All =
        [
            new TriggerSpec { Job = "extract", On = TriggerOn.Succeeded },
            new TriggerSpec { Job = "load", On = TriggerOn.Succeeded },
            new TriggerSpec { Event = "files-ready" },
        ],
        Within = Window,
    };

    private void Define(params TriggerSpec[] triggers) => Do(new DefineJob(OnDemand(d => d with { Triggers = triggers }), true), T0);

    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement;

    private IReadOnlyList<JobEvent> Completed(string job, RunStatus outcome, DateTimeOffset at, string data = "{}") =>
        Do(new TriggerJob(RunTrigger.Event, Data(data), $"job:{job}", 1, Outcome: outcome), at);

    private IReadOnlyList<JobEvent> Emitted(string name, DateTimeOffset at, string data = "{}") =>
        Do(new TriggerJob(RunTrigger.Event, Data(data), $"event:{name}", 1), at);

    [Fact]
    public void Should_run_once_when_every_part_has_arrived_with_each_parts_data_under_its_name()
    {
        Define(AllOf);

        var first = Completed("extract", RunStatus.Succeeded, T0, """{"rows":10}""");
        var second = Emitted("files-ready", T0.AddMinutes(10), """{"path":"/in"}""");
        Assert.Empty(first.OfType<RunDispatched>());
        Assert.Empty(second.OfType<RunDispatched>());
        Assert.Equal(2, State.FanIn!.Count);

        var last = Completed("load", RunStatus.Succeeded, T0.AddMinutes(20), """{"rows":9}""");

        var run = Single<RunDispatched>(last);
        Assert.Equal(RunTrigger.Event, run.Trigger);
        var data = run.Data!.Value;
        Assert.Equal(10, data.GetProperty("extract").GetProperty("rows").GetInt32());
        Assert.Equal(9, data.GetProperty("load").GetProperty("rows").GetInt32());
        Assert.Equal("/in", data.GetProperty("files-ready").GetProperty("path").GetString());
        Assert.True(Single<FanInArrived>(last).Completes);
        Assert.Null(State.FanIn);
    }

    [Fact]
    public void Should_start_over_after_running_so_the_next_run_needs_every_part_again()
    {
        Define(AllOf);
        Completed("extract", RunStatus.Succeeded, T0);
        Emitted("files-ready", T0);
        Completed("load", RunStatus.Succeeded, T0);
        Finish(InFlight(), RunStatus.Succeeded, T0.AddSeconds(5));

        var again = Completed("load", RunStatus.Succeeded, T0.AddMinutes(1));

        Assert.Empty(again.OfType<RunDispatched>());
        Assert.Single(State.FanIn!);
    }

    [Fact]
    public void Should_forget_a_part_that_arrived_longer_ago_than_within()
    {
        Define(AllOf);
        Completed("extract", RunStatus.Succeeded, T0);
        Emitted("files-ready", T0.AddMinutes(30));

        var late = Completed("load", RunStatus.Succeeded, T0 + Window + TimeSpan.FromSeconds(1));

        Assert.Empty(late.OfType<RunDispatched>());
        Assert.DoesNotContain(State.FanIn!, a => a.Part == 0);
        Assert.Equal(2, State.FanIn!.Count);

        var extractAgain = Completed("extract", RunStatus.Succeeded, T0.AddMinutes(70));
        Assert.Single(extractAgain.OfType<RunDispatched>());
    }

    [Fact]
    public void Should_keep_the_latest_data_when_a_part_arrives_twice()
    {
        Define(AllOf);
        Completed("extract", RunStatus.Succeeded, T0, """{"n":1}""");
        Completed("extract", RunStatus.Succeeded, T0.AddMinutes(1), """{"n":2}""");
        Emitted("files-ready", T0.AddMinutes(2));

        var run = Single<RunDispatched>(Completed("load", RunStatus.Succeeded, T0.AddMinutes(3)));

        Assert.Equal(2, run.Data!.Value.GetProperty("extract").GetProperty("n").GetInt32());
    }

    [Fact]
    public void Should_not_count_a_run_that_ended_otherwise_than_the_part_asks()
    {
        Define(AllOf);

        var failed = Completed("extract", RunStatus.Failed, T0);

        Assert.Empty(failed);
        Assert.Null(State.FanIn);
    }

    [Fact]
    public void Should_run_a_plain_trigger_on_the_same_source_beside_the_fan_in()
    {
        Define(AllOf, new TriggerSpec { Job = "extract", On = TriggerOn.Completed });

        var events = Completed("extract", RunStatus.Succeeded, T0);

        Assert.Single(events.OfType<RunDispatched>());
        Assert.Single(events.OfType<FanInArrived>());
    }

    [Fact]
    public void Should_record_a_completed_fan_in_as_skipped_while_the_job_is_paused()
    {
        Define(AllOf);
        Do(new PauseJob("maintenance"), T0);
        Completed("extract", RunStatus.Succeeded, T0);
        Emitted("files-ready", T0);

        var last = Completed("load", RunStatus.Succeeded, T0);

        Assert.Empty(last.OfType<RunDispatched>());
        Assert.Equal(JobDecider.ReasonPaused, Single<RunsSkipped>(last).Reason);
    }

    [Fact]
    public void Should_forget_arrived_parts_when_the_triggers_change_but_not_on_other_edits()
    {
        Define(AllOf);
        Completed("extract", RunStatus.Succeeded, T0);

        Do(new DefineJob(OnDemand(d => d with { Triggers = [AllOf], Tags = ["x"] }), false), T0.AddMinutes(1));
        Assert.Single(State.FanIn!);

        Do(new DefineJob(OnDemand(d => d with { Triggers = [AllOf with { Within = TimeSpan.FromHours(2) }] }), false), T0.AddMinutes(2));
        Assert.Null(State.FanIn);
    }

    [Fact]
    public void Should_replay_arrivals_to_the_same_state()
    {
        Define(AllOf);
        var history = new List<JobEvent>();
        history.AddRange(Completed("extract", RunStatus.Succeeded, T0));
        history.AddRange(Emitted("files-ready", T0.AddMinutes(5)));

        var replayed = new[] { new JobDefined(OnDemand(d => d with { Triggers = [AllOf] }), true, null, T0) }
            .Concat(history).Aggregate(JobState.Empty(Id), (s, e) => s.Apply(e));

        Assert.Equal(Json(State), Json(replayed));
    }

    [Theory]
    [InlineData("""{"all":[{"job":"a","on":"succeeded"}]}""", "triggers[0].all")]
    [InlineData("""{"all":[{"job":"a","on":"succeeded"},{"job":"a","on":"failed"}]}""", "triggers[0].all")]
    [InlineData("""{"all":[{"job":"a","on":"succeeded"},{"all":[{"event":"x"},{"event":"y"}]}]}""", "triggers[0].all[1]")]
    [InlineData("""{"all":[{"job":"a"},{"event":"x"}]}""", "triggers[0].all[0].on")]
    [InlineData("""{"all":[{"job":"a","on":"succeeded"},{"event":"x"}],"within":"P31D"}""", "triggers[0].within")]
    [InlineData("""{"all":[{"job":"a","on":"succeeded"},{"event":"x"}],"job":"b","on":"failed"}""", "triggers[0]")]
    [InlineData("""{"event":"x","within":"PT1H"}""", "triggers[0].within")]
    public void Should_refuse_a_malformed_fan_in_naming_the_field(string trigger, string field)
    {
        var definition = CoreJson.Deserialize<JobDefinition>("""{"id":"j","run":{"shell":{"command":["true"]}},"triggers":[""" + trigger + "]}");

        var errors = JobDefinitionValidator.Validate(definition);

        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void Should_describe_which_parts_arrived_until_when_and_which_are_waited_for()
    {
        Define(AllOf);
        Completed("extract", RunStatus.Succeeded, T0);
        Emitted("files-ready", T0.AddMinutes(30));

        var status = Assert.Single(JobDescription.From(State, T0.AddMinutes(40)).FanIn!);
        var later = Assert.Single(JobDescription.From(State, T0.AddMinutes(70)).FanIn!);

        Assert.Equal((0, Window), (status.Trigger, status.Within));
        Assert.Equal(["extract", "load", "files-ready"], status.Parts.Select(p => p.Name));
        Assert.Equal([T0, null, T0.AddMinutes(30)], status.Parts.Select(p => p.ArrivedAt));
        Assert.Equal(T0 + Window, status.Parts[0].ExpiresAt);
        Assert.Equal([null, null, T0.AddMinutes(30)], later.Parts.Select(p => p.ArrivedAt));
        Assert.Null(JobDescription.From(JobState.Empty(Id)).FanIn);
    }

    [Fact]
    public void Should_find_a_cycle_through_a_fan_in_part()
    {
        var definition = OnDemand(d => d with { Triggers = [AllOf] });

        var cycle = TriggerCycles.Find(definition, jobs => jobs.ToDictionary(j => j, j => (IReadOnlyList<string>)(j == Id.Value ? ["load"] : [])));

        Assert.NotNull(cycle);
        Assert.Equal(0, cycle.Value.Trigger);
    }
}
