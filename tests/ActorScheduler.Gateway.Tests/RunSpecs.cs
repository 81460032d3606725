using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

public sealed class RunSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private async Task<string> Trigger(string id, string? body = null)
    {
        var response = await Api.Post($"/api/v1/jobs/{id}/trigger", body);
        var accepted = await Api.Expect<TriggerAccepted>(response, HttpStatusCode.Accepted);
        Assert.Equal($"/api/v1/runs/{accepted.RunId}", response.Headers.Location?.OriginalString);
        return accepted.RunId;
    }

    private Task<RunView> RunWhen(string runId, RunStatus status) =>
        Api.Eventually(async () => await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{runId}"), HttpStatusCode.OK),
            run => run.Status == status, $"run {runId} to be {status}");

    /// <summary>A job whose run blocks until canceled, triggered and seen running.</summary>
    private async Task<(string JobId, string RunId)> StartBlockingRun(string prefix)
    {
        var id = Api.NewId(prefix);
        await Api.CreateJob(id, handler: "block");
        var runId = await Trigger(id);
        await RunWhen(runId, RunStatus.Running);
        return (id, runId);
    }

    [Fact]
    public async Task Should_answer_202_with_a_run_id_when_triggering_and_show_the_run_in_runs()
    {
        var id = Api.NewId("trigger");
        await Api.CreateJob(id);

        var runId = await Trigger(id, """{ "data": { "customer": 1234 } }""");

        var run = await RunWhen(runId, RunStatus.Succeeded);
        var runs = await Api.Expect<RunList>(await Api.Get($"/api/v1/jobs/{id}/runs"), HttpStatusCode.OK);
        Assert.Equal(id, run.JobId);
        Assert.Equal(RunTrigger.Manual, run.Trigger);
        Assert.Equal(1234, run.Data?.GetProperty("customer").GetInt32());
        Assert.Equal([runId], runs.Items.Select(r => r.RunId));
    }

    [Fact]
    public async Task Should_list_runs_newest_first_and_filter_them_when_asked()
    {
        var id = Api.NewId("runs");
        await Api.CreateJob(id);
        var first = await Trigger(id);
        await RunWhen(first, RunStatus.Succeeded);
        var second = await Trigger(id);
        await RunWhen(second, RunStatus.Succeeded);
        var path = $"/api/v1/jobs/{id}/runs";

        var all = await Api.Expect<RunList>(await Api.Get(path), HttpStatusCode.OK);
        var newest = await Api.Expect<RunList>(await Api.Get($"{path}?limit=1"), HttpStatusCode.OK);
        var succeeded = await Api.Expect<RunList>(await Api.Get($"{path}?status=succeeded"), HttpStatusCode.OK);
        var failed = await Api.Expect<RunList>(await Api.Get($"{path}?status=failed"), HttpStatusCode.OK);
        var future = await Api.Expect<RunList>(await Api.Get($"{path}?from=2999-01-01T00:00:00Z"), HttpStatusCode.OK);
        var past = await Api.Expect<RunList>(await Api.Get($"{path}?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B02:00"), HttpStatusCode.OK);

        Assert.Equal([second, first], all.Items.Select(r => r.RunId));
        Assert.Equal([second], newest.Items.Select(r => r.RunId));
        Assert.Equal(2, succeeded.Items.Count);
        Assert.Empty(failed.Items);
        Assert.Empty(future.Items);
        Assert.Equal(2, past.Items.Count);
    }

    [Fact]
    public async Task Should_cancel_a_running_run_and_answer_its_view_when_asked()
    {
        var (_, runId) = await StartBlockingRun("cancel-run");

        var response = await Api.Post($"/api/v1/runs/{runId}/cancel");

        var answered = await Api.Expect<RunView>(response, HttpStatusCode.OK);
        Assert.Equal(runId, answered.RunId);
        var canceled = await RunWhen(runId, RunStatus.Canceled);
        Assert.Equal(runId, canceled.RunId);
    }

    [Fact]
    public async Task Should_answer_409_when_triggering_a_running_job_whose_overlap_is_skip()
    {
        var (id, runId) = await StartBlockingRun("overlap");

        await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{id}/trigger"), HttpStatusCode.Conflict, "overlap");

        await Api.Expect<RunView>(await Api.Post($"/api/v1/runs/{runId}/cancel"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_list_the_jobs_events_in_order_when_reading_its_history()
    {
        var id = Api.NewId("history");
        await Api.CreateJob(id);
        await RunWhen(await Trigger(id), RunStatus.Succeeded);

        var history = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);

        Assert.Equal("job-defined", history.Items[0].Type);
        Assert.True(history.Items.Count >= 3, "defined, then at least a run dispatched and finished");
        Assert.Equal(history.Items.Select(e => e.Seq).Order(), history.Items.Select(e => e.Seq));
        Assert.All(history.Items, e => Assert.NotNull(e.Data));
    }

    [Fact]
    public async Task Should_answer_404_when_the_job_exists_but_the_run_does_not()
    {
        var id = Api.NewId("no-run");
        await Api.CreateJob(id);

        await Api.ExpectProblem(await Api.Get($"/api/v1/runs/{id}~99"), HttpStatusCode.NotFound, $"{id}~99");
        await Api.ExpectProblem(await Api.Post($"/api/v1/runs/{id}~99/cancel"), HttpStatusCode.NotFound, $"{id}~99");
    }

    [Theory]
    [InlineData("/api/v1/runs/not-a-run-id")]
    [InlineData("/api/v1/runs/job~0")]
    [InlineData("/api/v1/runs/~5")]
    public async Task Should_answer_400_naming_the_run_id_when_it_is_malformed(string path)
    {
        await Api.ExpectProblem(await Api.Get(path), HttpStatusCode.BadRequest, "runId:");
    }
}
