using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>onFailure over a real socket: consecutive failed runs pause the job, a probe run's success resumes it.</summary>
public sealed class PauseOnFailureSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Breaker = """ "onFailure": { "pauseAfter": 3, "probeAfter": "PT2S" } """;

    private Api Api => gateway.Api;

    private async Task<RunView> TriggerAndFinish(string id)
    {
        var accepted = await Api.Expect<TriggerAccepted>(await Api.Post($"/api/v1/jobs/{id}/trigger"), HttpStatusCode.Accepted);
        return await Api.Eventually(async () => await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{accepted.RunId}"), HttpStatusCode.OK),
            run => run.Status.IsFinished(), $"run {accepted.RunId} to finish");
    }

    [Fact]
    public async Task Should_pause_after_three_failed_runs_with_the_reason_in_history_and_resume_when_a_probe_succeeds()
    {
        var id = Api.NewId("breaker");
        await Api.CreateJob(id, Breaker, handler: "fail");
        for (var i = 0; i < 3; i++)
            Assert.Equal(RunStatus.Failed, (await TriggerAndFinish(id)).Status);

        var paused = await Api.Eventually(() => Api.GetJob(id), job => job.Status == JobStatus.Paused, "the job to pause");
        Assert.Contains("consecutive failed runs", paused.PausedReason);
        // The first pause is the breaker's; a probe that failed meanwhile (a slow machine) adds later ones.
        var history = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);
        var pausedEvent = history.Items.First(e => e.Type == "job-paused");
        Assert.Equal(3, pausedEvent.Data?.GetProperty("failures").GetInt32());
        Assert.Contains("3 consecutive failed runs (pauseAfter 3)", pausedEvent.Data?.GetProperty("reason").GetString());

        // The fault is fixed: the next probe runs the new definition, succeeds, and resumes the job.
        await Api.Expect<JobView>(await Api.Put($"/api/v1/jobs/{id}", Api.Job(id, Breaker)), HttpStatusCode.OK);
        var resumed = await Api.Eventually(() => Api.GetJob(id), job => job.Status != JobStatus.Paused, "a probe to resume the job");

        // The runs read model follows the job by a flush.
        await Api.Eventually(async () => await Api.Expect<RunList>(await Api.Get($"/api/v1/runs?jobId={id}&trigger=probe"), HttpStatusCode.OK),
            probes => probes.Items.Any(r => r.Status == RunStatus.Succeeded), "a succeeded probe run in the runs list");
        Assert.Null(resumed.PausedReason);
        var after = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);
        Assert.Contains(after.Items, e => e.Type == "job-resumed" && e.Data?.GetProperty("reason").GetString()!.Contains("probe") == true);
    }

    [Fact]
    public async Task Should_answer_400_naming_the_field_when_onFailure_has_no_count()
    {
        var response = await Api.Post("/api/v1/jobs", Api.Job(Api.NewId("breaker-bad"), """ "onFailure": { "probeAfter": "PT1M" } """));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "onFailure.pauseAfter");
    }
}
