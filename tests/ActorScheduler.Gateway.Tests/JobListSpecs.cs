using System.Net;
using System.Text.Json;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

public sealed class JobListSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    // The list is read from the index, which follows the journal by moments: wait for the expected page.
    private Task<JobList> ListWhen(string query, Func<JobList, bool> condition, string what) =>
        Api.Eventually(async () => await Api.Expect<JobList>(await Api.Get($"/api/v1/jobs?{query}"), HttpStatusCode.OK), condition, what);

    [Fact]
    public async Task Should_page_through_jobs_in_id_order_when_following_the_next_cursor()
    {
        var tag = Api.NewId("page");
        var ids = new[] { "a", "b", "c" }.Select(s => $"{tag}-{s}").ToList();
        foreach (var id in ids)
            await Api.CreateJob(id, $$""" "tags": ["{{tag}}"] """);

        await ListWhen($"tag={tag}", p => p.Items.Count == 3, "all three jobs in the index");

        var first = await Api.Expect<JobList>(await Api.Get($"/api/v1/jobs?tag={tag}&limit=2"), HttpStatusCode.OK);
        var rest = await Api.Expect<JobList>(await Api.Get($"/api/v1/jobs?tag={tag}&limit=2&after={first.Next}"), HttpStatusCode.OK);
        using var raw = JsonDocument.Parse(await (await Api.Get($"/api/v1/jobs?tag={tag}&limit=2&after={first.Next}")).Content.ReadAsStringAsync());

        Assert.Equal(ids[..2], first.Items.Select(v => v.Id));
        Assert.Equal(ids[1], first.Next);
        Assert.Equal([ids[2]], rest.Items.Select(v => v.Id));
        Assert.Equal(JsonValueKind.Null, raw.RootElement.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Should_list_only_matching_jobs_when_filtering_by_status_worker_and_tag()
    {
        var tag = Api.NewId("filter");
        var (pinned, paused, other) = ($"{tag}-pinned", $"{tag}-paused", $"{tag}-other");
        await Api.CreateJob(pinned, $$""" "tags": ["{{tag}}"], "worker": "vip-pool" """);
        await Api.CreateJob(paused, $$""" "tags": ["{{tag}}"] """);
        await Api.CreateJob(other, $$""" "tags": ["{{tag}}-not"] """);
        await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{paused}/pause"), HttpStatusCode.OK);

        var byTag = await ListWhen($"tag={tag}", p => p.Items.Count == 2, "both tagged jobs");
        var byStatus = await ListWhen($"tag={tag}&status=paused", p => p.Items.Count == 1, "the paused job");
        var byWorker = await ListWhen($"tag={tag}&worker=vip-pool", p => p.Items.Count == 1, "the pinned job");

        Assert.Equal([paused, pinned], byTag.Items.Select(v => v.Id));
        Assert.Equal([paused], byStatus.Items.Select(v => v.Id));
        Assert.Equal([pinned], byWorker.Items.Select(v => v.Id));
        Assert.Equal(JobStatus.Paused, byStatus.Items[0].Status);
    }

    [Theory]
    [InlineData("/api/v1/jobs?status=sleeping", "status:")]
    [InlineData("/api/v1/jobs?limit=0", "limit:")]
    [InlineData("/api/v1/jobs?limit=501", "limit:")]
    [InlineData("/api/v1/jobs?limit=ten", "limit:")]
    [InlineData("/api/v1/jobs?after=no%20spaces", "after:")]
    [InlineData("/api/v1/jobs?worker=%20", "worker:")]
    [InlineData("/api/v1/jobs/any/runs?status=done", "status:")]
    [InlineData("/api/v1/jobs/any/runs?from=yesterday", "from:")]
    [InlineData("/api/v1/jobs/any/runs?to=2026-13-01T00:00:00Z", "to:")]
    [InlineData("/api/v1/jobs/any/runs?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to:")]
    [InlineData("/api/v1/jobs/any/runs?limit=-1", "limit:")]
    [InlineData("/api/v1/jobs/bad%20id", "id:")]
    public async Task Should_answer_400_naming_the_parameter_when_a_query_value_is_invalid(string path, string field)
    {
        await Api.ExpectProblem(await Api.Get(path), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Should_treat_an_empty_parameter_as_absent_when_listing()
    {
        var page = await Api.Expect<JobList>(await Api.Get("/api/v1/jobs?status=&worker=&tag=&limit=&after="), HttpStatusCode.OK);

        Assert.NotNull(page.Items);
    }
}
