using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>Describe over a real socket: skipped-occurrence counts, the next 10 times and the 10 most recent runs.</summary>
public sealed class DescribeSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private async Task<JobDescription> Describe(string id) =>
        await Api.Expect<JobDescription>(await Api.Get($"/api/v1/jobs/{id}/describe"), HttpStatusCode.OK);

    [Fact]
    public async Task Should_count_occurrences_skipped_by_overlap_and_give_the_next_ten_times_and_the_running_run()
    {
        var id = Api.NewId("describe-overlap");
        await Api.CreateJob(id, """ "schedule": { "every": { "seconds": 1 } }, "overlap": "skip" """, handler: "block");

        var described = await Api.Eventually(() => Describe(id), d => d.SkippedByOverlap > 0, "an occurrence skipped while the first run blocks");

        Assert.Equal(id, described.Job.Id);
        Assert.Equal(10, described.NextTimes.Count);
        Assert.True(described.NextTimes.Zip(described.NextTimes.Skip(1), (earlier, later) => earlier < later).All(ascends => ascends), "the next times ascend");
        Assert.Contains(described.RecentRuns, run => run.Status is RunStatus.Running or RunStatus.Pending);
        Assert.Equal(0, described.MissedByCatchUpWindow);
        await Api.Expect<JobView>(await Api.Delete($"/api/v1/jobs/{id}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_count_an_occurrence_older_than_the_catch_up_window_as_missed()
    {
        var id = Api.NewId("describe-missed");
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2).ToString("O");
        await Api.CreateJob(id, $$""" "schedule": { "at": "{{twoHoursAgo}}" }, "misfire": { "policy": "fireAll", "catchUpWindow": "PT1M" } """);

        var described = await Api.Eventually(() => Describe(id), d => d.MissedByCatchUpWindow > 0, "the two-hour-old occurrence recorded as missed");

        Assert.Equal(1, described.MissedByCatchUpWindow);
        Assert.Empty(described.RecentRuns);
        Assert.Empty(described.NextTimes);
    }

    [Fact]
    public async Task Should_answer_404_when_the_job_does_not_exist()
    {
        await Api.ExpectProblem(await Api.Get("/api/v1/jobs/no-such-job-to-describe/describe"), HttpStatusCode.NotFound, "no-such-job-to-describe");
    }
}
