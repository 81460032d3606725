using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Dated edits and the audit trail over a real socket: <c>PUT ?effectiveAt=</c> answers 202 with the edit pending, the
/// job changes at that time, <c>DELETE …/pending-edit</c> withdraws one, and the history names who changed what.
/// </summary>
public sealed class DatedEditSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_change_the_job_at_the_edits_time_and_name_who_asked_in_history()
    {
        var id = Api.NewId("dated");
        await Api.CreateJob(id, """ "tags": ["v1"] """);
        var effectiveAt = DateTimeOffset.UtcNow.AddSeconds(3);

        var response = await Api.Send(HttpMethod.Put, $"/api/v1/jobs/{id}?effectiveAt={Uri.EscapeDataString(effectiveAt.ToString("O"))}",
            Api.Job(id, """ "tags": ["v2"] """), ("X-Scheduler-Client", "release-bot/2"));

        var pending = await Api.Expect<JobView>(response, HttpStatusCode.Accepted);
        Assert.Equal(["v1"], pending.Definition.Tags!);
        Assert.Equal(["v2"], pending.PendingEdit!.Definition.Tags!);
        Assert.Contains("release-bot/2", pending.PendingEdit.By);

        var changed = await Api.Eventually(() => Api.GetJob(id), job => job.PendingEdit is null, "the dated edit to take effect");
        Assert.Equal(["v2"], changed.Definition.Tags!);
        var history = await Api.History(id);
        var scheduled = history.Items.Single(e => e.Type == "edit-scheduled").Data!.Value;
        Assert.Contains("release-bot/2", scheduled.GetProperty("by").GetString());
        var applied = history.Items.Last(e => e.Type == "job-defined").Data!.Value;
        Assert.Equal("tags", Assert.Single(applied.GetProperty("changed").EnumerateArray()).GetString());
        Assert.True(applied.GetProperty("effectiveAt").GetDateTimeOffset() >= effectiveAt.AddMilliseconds(-1));
        Assert.Contains("release-bot/2", applied.GetProperty("by").GetString());
    }

    [Fact]
    public async Task Should_withdraw_a_pending_edit_and_answer_404_when_there_is_none()
    {
        var id = Api.NewId("dated-drop");
        await Api.CreateJob(id);
        await Api.Expect<JobView>(await Api.Put($"/api/v1/jobs/{id}?effectiveAt=2099-01-01T00:00:00Z", Api.Job(id, """ "tags": ["later"] """)),
            HttpStatusCode.Accepted);

        var dropped = await Api.Expect<JobView>(await Api.Delete($"/api/v1/jobs/{id}/pending-edit"), HttpStatusCode.OK);

        Assert.Null(dropped.PendingEdit);
        Assert.Single((await Api.History(id)).Items, e => e.Type == "edit-dropped");
        await Api.ExpectProblem(await Api.Delete($"/api/v1/jobs/{id}/pending-edit"), HttpStatusCode.NotFound, "no pending edit");
    }

    [Fact]
    public async Task Should_refuse_a_dated_edit_of_a_job_that_does_not_exist_and_a_bad_time()
    {
        var id = Api.NewId("dated-none");

        await Api.ExpectProblem(await Api.Put($"/api/v1/jobs/{id}?effectiveAt=2099-01-01T00:00:00Z", Api.Job(id)), HttpStatusCode.NotFound, "create it first");
        await Api.ExpectProblem(await Api.Put($"/api/v1/jobs/{id}?effectiveAt=tomorrow", Api.Job(id)), HttpStatusCode.BadRequest, "effectiveAt");
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Get($"/api/v1/jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task Should_record_the_caller_and_the_changed_fields_of_an_immediate_change()
    {
        var id = Api.NewId("audit");
        await Api.Expect<JobView>(await Api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("User-Agent", "curl/8.5")), HttpStatusCode.Created);

        await Api.Expect<JobView>(await Api.Send(HttpMethod.Put, $"/api/v1/jobs/{id}", Api.Job(id, """ "timeout": "PT5M" """),
            ("X-Scheduler-Client", "ops-console")), HttpStatusCode.OK);
        await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/pause", """{"reason":"audit"}"""), HttpStatusCode.OK);

        var items = (await Api.History(id)).Items;
        var defined = items.Where(e => e.Type == "job-defined").Select(e => e.Data!.Value).ToList();
        Assert.Contains("curl/8.5", defined[0].GetProperty("by").GetString());
        Assert.Contains("ops-console", defined[1].GetProperty("by").GetString());
        Assert.Equal("timeout", Assert.Single(defined[1].GetProperty("changed").EnumerateArray()).GetString());
        Assert.False(string.IsNullOrEmpty(items.Single(e => e.Type == "job-paused").Data!.Value.GetProperty("by").GetString()));
    }
}
