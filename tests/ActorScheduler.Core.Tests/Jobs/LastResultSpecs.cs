using System.Text.Json;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// A run passes on its result to the job's next run: the data it emitted last if any, else its output's tail, bounded
/// by <see cref="LastResult.MaxLength"/>; the journal's RunFinished events alone decide it, so replay gives the same.
/// </summary>
public sealed class LastResultSpecs : JobSpecification
{
    private IReadOnlyList<JobEvent> RunOnce(DateTimeOffset at, string? output = null, string? emitted = null, RunStatus outcome = RunStatus.Succeeded)
    {
        Do(new TriggerJob(RunTrigger.Manual, null, "api"), at);
        var run = InFlight();
        var result = emitted is null ? (JsonElement?)null : JsonDocument.Parse(emitted).RootElement.Clone();
        return Do(new ReportRunFinished(run.RunId, run.FencingToken, outcome, 0, output, Result: result), at.AddSeconds(1));
    }

    [Fact]
    public void Should_have_no_last_result_when_no_run_has_finished()
    {
        Do(new DefineJob(OnDemand(), true), T0);

        Assert.Null(State.LastResult);
    }

    [Fact]
    public void Should_pass_the_emitted_data_on_when_the_run_emitted_some()
    {
        Do(new DefineJob(OnDemand(), true), T0);

        var finished = Single<RunFinished>(RunOnce(T0, output: "lines", emitted: """{"rows":42}"""));

        Assert.Equal("""{"rows":42}""", finished.Result?.GetRawText());
        Assert.Equal("""{"rows":42}""", State.LastResult);
    }

    [Fact]
    public void Should_pass_the_output_tail_on_when_the_run_emitted_nothing()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        var output = new string('a', 10) + new string('b', LastResult.MaxLength);

        RunOnce(T0, output: output, outcome: RunStatus.Failed);

        Assert.Equal(new string('b', LastResult.MaxLength), State.LastResult);
    }

    [Fact]
    public void Should_pass_the_output_on_instead_when_the_emitted_data_is_too_long_to_pass_whole()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        var big = JsonSerializer.Serialize(new string('x', LastResult.MaxLength));

        var finished = Single<RunFinished>(RunOnce(T0, output: "done", emitted: big));

        Assert.Null(finished.Result);
        Assert.Equal("done", State.LastResult);
    }

    [Fact]
    public void Should_keep_only_the_latest_runs_result_when_runs_follow_one_another()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        RunOnce(T0, emitted: "1");

        RunOnce(T0.AddMinutes(1), output: "second");

        Assert.Equal("second", State.LastResult);
    }

    [Fact]
    public void Should_leave_no_result_when_the_latest_run_ended_without_output()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        RunOnce(T0, output: "first");

        RunOnce(T0.AddMinutes(1), outcome: RunStatus.Lost);

        Assert.Null(State.LastResult);
    }

    [Fact]
    public void Should_not_cut_a_character_in_two_when_the_tail_starts_inside_a_surrogate_pair()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        var output = "😀" + new string('z', LastResult.MaxLength - 1);

        RunOnce(T0, output: output);

        Assert.Equal(new string('z', LastResult.MaxLength - 1), State.LastResult);
    }

    [Fact]
    public void Should_give_the_same_last_result_when_the_events_are_replayed()
    {
        var events = new List<JobEvent>();
        events.AddRange(Do(new DefineJob(OnDemand(), true), T0));
        events.AddRange(Do(new TriggerJob(RunTrigger.Manual, null, "api"), T0));
        var run = InFlight();
        var data = JsonDocument.Parse("""{"cursor":"abc"}""").RootElement.Clone();
        events.AddRange(Do(new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Succeeded, 0, "out", Result: data), T0.AddSeconds(1)));

        var replayed = events.Aggregate(JobState.Empty(Id), (s, e) => s.Apply(e));

        Assert.Equal("""{"cursor":"abc"}""", replayed.LastResult);
        Assert.Equal(Json(State), Json(replayed));
    }
}
