using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Protocol;
using static ActorScheduler.Engine.Tests.JobSteps;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The answers a job gives from its state (<see cref="JobQueries"/>) and its residency rules
/// (<see cref="JobEntitySettings"/>): when it fires on its own timer and when it may leave memory.
/// </summary>
public sealed class JobQueriesSpecs
{
    // Queries

    [Fact]
    public void Should_refuse_every_query_as_not_found_when_the_job_does_not_exist()
    {
        var empty = JobState.Empty(Id);

        foreach (JobMessage query in new JobMessage[] { GetJob.Instance, GetRuns.Instance, new GetRun(new RunId(Id, 1)) })
            Assert.Equal(RejectionKind.NotFound, Assert.IsType<JobRefused>(JobQueries.Answer(empty, query)).Kind);
    }

    [Fact]
    public void Should_answer_the_jobs_view_when_the_job_exists()
    {
        var state = Define(Hourly).After;

        var found = Assert.IsType<JobFound>(JobQueries.Answer(state, GetJob.Instance));

        Assert.Equal((Id.Value, state.Version, JobStatus.Scheduled), (found.View.Id, found.View.Version, found.View.Status));
    }

    [Fact]
    public void Should_list_runs_in_flight_newest_first_then_recent_ones_when_the_runs_are_asked_for()
    {
        var step = Define(OnDemandConcurrent).Then(Manual, T0);
        step = step.Then(Finish(step.Run(), RunStatus.Succeeded), T0.AddSeconds(1)).Then(Manual, T0.AddSeconds(2));
        step = step.Then(Finish(step.Run(), RunStatus.Failed), T0.AddSeconds(3)).Then(Manual, T0.AddSeconds(4)).Then(Manual, T0.AddSeconds(5));

        var listed = Assert.IsType<RunsListed>(JobQueries.Answer(step.After, GetRuns.Instance));

        Assert.Equal(["nightly~4", "nightly~3", "nightly~2", "nightly~1"], listed.Runs.Select(r => r.RunId));
    }

    [Fact]
    public void Should_find_a_finished_run_when_it_is_asked_for()
    {
        var triggered = Define(Hourly).Then(Manual, T0);
        var run = triggered.Run();
        var state = triggered.Then(Finish(run, RunStatus.Succeeded, "done"), T0.AddSeconds(1)).After;

        var found = Assert.IsType<RunFound>(JobQueries.Answer(state, new GetRun(run.RunId)));

        Assert.Equal((run.RunId.ToString(), RunStatus.Succeeded), (found.Run.RunId, found.Run.Status));
        Assert.Null(found.Run.Output); // the job keeps no output: the runs read model holds it (JobService.RunDetail adds it)
    }

    [Fact]
    public void Should_refuse_an_unknown_run_as_not_found_when_it_is_asked_for()
    {
        var state = Define(Hourly).Then(Manual, T0).After;

        var refused = Assert.IsType<JobRefused>(JobQueries.Answer(state, new GetRun(new RunId(Id, 99))));

        Assert.Equal(RejectionKind.NotFound, refused.Kind);
    }

    [Fact]
    public void Should_say_whether_a_run_is_in_flight_when_the_permit_keeper_checks_a_permit()
    {
        var triggered = Define(Hourly).Then(Manual, T0);
        var run = triggered.Run();
        var finished = triggered.Then(Finish(run, RunStatus.Succeeded, "done"), T0.AddSeconds(1)).After;

        Assert.Equal(new RunInFlightAnswer(run.RunId, true), JobQueries.Answer(triggered.After, new IsRunInFlight(run.RunId)));
        Assert.Equal(new RunInFlightAnswer(run.RunId, false), JobQueries.Answer(finished, new IsRunInFlight(run.RunId)));
        Assert.Equal(new RunInFlightAnswer(run.RunId, false), JobQueries.Answer(JobState.Empty(Id), new IsRunInFlight(run.RunId)));
    }

    [Fact]
    public void Should_throw_when_a_command_is_asked_as_a_query()
    {
        var state = Define(Hourly).After;

        Assert.Throws<ArgumentException>(() => JobQueries.Answer(state, new JobRequest(Manual)));
    }

    // Residency

    [Theory]
    [InlineData(-10_000, 0)]
    [InlineData(0, 0)]
    [InlineData(1_000, 1_000)]
    [InlineData(299_999, 299_999)]
    [InlineData(300_000, null)]
    [InlineData(3_600_000, null)]
    public void Should_arm_its_own_timer_only_when_the_wake_up_is_within_the_keep_alive_horizon(int wakeInMs, int? expectedDelayMs)
    {
        var timer = Residency.OwnTimer(T0.AddMilliseconds(wakeInMs), T0);

        Assert.Equal(expectedDelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, timer);
    }

    [Fact]
    public void Should_arm_no_timer_when_nothing_needs_waking()
    {
        Assert.Null(Residency.OwnTimer(null, T0));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(55 * 60_000, true)]
    [InlineData(55 * 60_000 + 1, false)]
    public void Should_passivate_only_when_the_next_wake_up_is_beyond_the_horizon_when_nothing_is_in_flight(int nowInMs, bool mayPassivate)
    {
        var state = Define(Hourly).After;

        Assert.Equal(mayPassivate, Residency.MayPassivate(state, T0.AddMilliseconds(nowInMs)));
    }

    [Fact]
    public void Should_passivate_when_nothing_is_in_flight_or_scheduled()
    {
        var state = Define(OnDemandConcurrent).After;

        Assert.True(Residency.MayPassivate(state, T0));
    }

    [Fact]
    public void Should_stay_in_memory_when_a_run_is_in_flight_even_if_nothing_is_due()
    {
        var state = Define(OnDemandConcurrent).Then(Manual, T0).After;

        Assert.False(Residency.MayPassivate(state, T0.AddHours(5)), "its worker reports to it; leaving memory would cost a recovery per report");
    }
}
