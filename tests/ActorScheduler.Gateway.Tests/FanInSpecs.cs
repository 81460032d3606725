using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Fan-in over a real socket: a job triggered by <c>all</c> of two jobs' successes runs once, after the second, with
/// each upstream run's completion under its job's name; the first arrival is in its history.
/// </summary>
public sealed class FanInSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_run_once_when_all_upstream_jobs_succeeded_within_the_window_with_their_data()
    {
        var (extract, load, report) = (Api.NewId("extract"), Api.NewId("load"), Api.NewId("report"));
        await Api.CreateJob(extract);
        await Api.CreateJob(load);
        await Api.CreateJob(report, $$"""
            "triggers": [ { "all": [ { "job": "{{extract}}", "on": "succeeded" }, { "job": "{{load}}", "on": "succeeded" } ], "within": "PT1H" } ]
            """);

        var extracted = await Api.TriggerAndFinish(extract);
        await Api.Eventually(() => Api.History(report), h => h.Items.Any(e => e.Type == "fan-in-arrived"), "the first part to arrive");
        Assert.Equal(0, (await Api.GetJob(report)).RunCount);
        var waiting = Assert.Single((await Api.Expect<JobDescription>(await Api.Get($"/api/v1/jobs/{report}/describe"), HttpStatusCode.OK)).FanIn!);
        Assert.NotNull(waiting.Parts.Single(p => p.Name == extract).ArrivedAt);
        Assert.Null(waiting.Parts.Single(p => p.Name == load).ArrivedAt);

        var loaded = await Api.TriggerAndFinish(load);

        var runs = await Api.Eventually(
            async () => await Api.Expect<RunList>(await Api.Get($"/api/v1/jobs/{report}/runs"), HttpStatusCode.OK),
            list => list.Items.Any(r => r.Status.IsFinished()), "the fan-in run");
        var run = Assert.Single(runs.Items);
        Assert.Equal(RunTrigger.Event, run.Trigger);
        var data = run.Data!.Value;
        Assert.Equal(extracted.RunId, data.GetProperty(extract).GetProperty("runId").GetString());
        Assert.Equal(loaded.RunId, data.GetProperty(load).GetProperty("runId").GetString());
        Assert.Equal("succeeded", data.GetProperty(load).GetProperty("outcome").GetString());
        var arrivals = (await Api.History(report)).Items.Where(e => e.Type == "fan-in-arrived").ToList();
        Assert.Equal([false, true], arrivals.Select(e => e.Data!.Value.GetProperty("completes").GetBoolean()));

        // It starts over: the load alone does not run the job again.
        await Api.TriggerAndFinish(load);
        await Api.Eventually(() => Api.History(report), h => h.Items.Count(e => e.Type == "fan-in-arrived") == 3, "the next arrival");
        Assert.Equal(1, (await Api.GetJob(report)).RunCount);
    }

    [Fact]
    public async Task Should_refuse_a_fan_in_with_one_part_naming_the_field()
    {
        var id = Api.NewId("fan-in-bad");
        var response = await Api.Post("/api/v1/jobs", Api.Job(id, """ "triggers": [ { "all": [ { "event": "x" } ] } ] """));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "triggers[0].all");
    }
}
