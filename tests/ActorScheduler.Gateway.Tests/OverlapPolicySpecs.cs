using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// The overlap policies over a real socket, driven by manual triggers on a job whose runs block until canceled:
/// a trigger's own overlap, bufferAll, cancelOther and terminateOther.
/// </summary>
public sealed class OverlapPolicySpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private async Task<string> Trigger(string id, string body = "{}")
    {
        var accepted = await Api.Expect<TriggerAccepted>(await Api.Post($"/api/v1/jobs/{id}/trigger", body), HttpStatusCode.Accepted);
        return accepted.RunId;
    }

    private Task<RunView> RunUntil(string runId, Func<RunView, bool> condition, string what) =>
        Api.Eventually(async () => await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{runId}"), HttpStatusCode.OK), condition, what);

    /// <summary>A job whose runs block until canceled, with its first run running.</summary>
    private async Task<(string Id, string First)> RunningJob(string name, string overlap)
    {
        var id = Api.NewId(name);
        await Api.CreateJob(id, $$""" "overlap": "{{overlap}}" """, handler: "block");
        var first = await Trigger(id);
        await RunUntil(first, r => r.Status == RunStatus.Running, "the first run to run");
        return (id, first);
    }

    private async Task<IReadOnlyList<HistoryItem>> History(string id) =>
        (await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK)).Items;

    private async Task Cancel(string runId) =>
        await Api.Expect<RunView>(await Api.Post($"/api/v1/runs/{runId}/cancel"), HttpStatusCode.OK);

    [Fact]
    public async Task Should_run_beside_the_running_run_when_the_trigger_names_overlap_allow_on_a_skip_job()
    {
        var (id, first) = await RunningJob("overlap-manual", "skip");
        await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{id}/trigger", "{}"), HttpStatusCode.Conflict, "overlap");

        var second = await Trigger(id, """{ "overlap": "allow" }""");

        await RunUntil(second, r => r.Status == RunStatus.Running, "the second run to run beside the first");
        Assert.Equal(RunStatus.Running, (await RunUntil(first, _ => true, "the first run")).Status);
        await Cancel(first);
        await Cancel(second);
    }

    [Fact]
    public async Task Should_answer_400_naming_the_field_when_a_trigger_names_an_unknown_overlap()
    {
        var id = Api.NewId("overlap-bad");
        await Api.CreateJob(id);

        await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{id}/trigger", """{ "overlap": "sometimes" }"""), HttpStatusCode.BadRequest, "overlap");
    }

    [Fact]
    public async Task Should_start_each_buffered_run_in_turn_when_overlap_is_bufferAll()
    {
        var (id, first) = await RunningJob("overlap-all", "bufferAll");
        var second = await Trigger(id);
        var third = await Trigger(id);
        Assert.Equal(2, (await History(id)).Count(e => e.Type == "run-buffered"));

        await Cancel(first);
        await RunUntil(second, r => r.Status == RunStatus.Running, "the second run to start when the first ended");
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Get($"/api/v1/runs/{third}")).StatusCode);
        await Cancel(second);

        await RunUntil(third, r => r.Status == RunStatus.Running, "the third run to start when the second ended");
        await Cancel(third);
    }

    [Fact]
    public async Task Should_cancel_the_running_run_and_start_the_new_one_after_it_when_overlap_is_cancelOther()
    {
        var (id, first) = await RunningJob("overlap-cancel", "cancelOther");

        var second = await Trigger(id);

        Assert.Equal(RunStatus.Canceled, (await RunUntil(first, r => r.Status.IsFinished(), "the first run to be canceled")).Status);
        await RunUntil(second, r => r.Status == RunStatus.Running, "the second run to start");
        var history = await History(id);
        var finished = history.First(e => e.Type == "run-finished" && e.Data?.GetProperty("runId").GetString() == first);
        var dispatched = history.First(e => e.Type == "run-dispatched" && e.Data?.GetProperty("runId").GetString() == second);
        Assert.True(dispatched.Seq > finished.Seq, "cancelOther dispatches the new run only once the old one has ended");
        await Cancel(second);
    }

    [Theory]
    [InlineData("terminateOther")]
    [InlineData("replace")]
    public async Task Should_cancel_the_running_run_and_dispatch_the_new_one_at_once_when_overlap_is_terminateOther(string overlap)
    {
        var (id, first) = await RunningJob("overlap-terminate", overlap);

        var second = await Trigger(id);

        Assert.Equal(RunStatus.Canceled, (await RunUntil(first, r => r.Status.IsFinished(), "the first run to be canceled")).Status);
        await RunUntil(second, r => r.Status == RunStatus.Running, "the second run to run");
        Assert.DoesNotContain(await History(id), e => e.Type == "run-buffered");
        await Cancel(second);
    }
}
