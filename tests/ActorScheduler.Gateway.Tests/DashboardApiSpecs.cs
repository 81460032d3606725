using System.Net;
using System.Text.Json;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>What the dashboard reads beside the original contract: search, stats, workers, links, enable/disable, live output, its page.</summary>
public sealed class DashboardApiSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_keep_the_jobs_whose_id_contains_the_search_ignoring_case()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        await Api.CreateJob($"alpha-{tag}-one");
        await Api.CreateJob($"beta-{tag}-two");
        await Api.CreateJob($"alpha-other-{Guid.NewGuid():N}");

        var page = await Api.Eventually(async () => await Api.Expect<JsonElement>(await Api.Get($"/api/v1/jobs?q={tag.ToUpperInvariant()}&limit=10"), HttpStatusCode.OK),
            p => p.GetProperty("items").GetArrayLength() == 2, "both jobs in the index");

        Assert.Equal([$"alpha-{tag}-one", $"beta-{tag}-two"], page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        await Api.ExpectProblem(await Api.Get("/api/v1/jobs?q=" + new string('x', 129)), HttpStatusCode.BadRequest, "q");
    }

    [Fact]
    public async Task Should_disable_and_enable_a_job()
    {
        var id = Api.NewId("toggle");
        await Api.CreateJob(id);

        var disabled = await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/disable"), HttpStatusCode.OK);
        var enabled = await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/enable"), HttpStatusCode.OK);

        Assert.False(disabled.Enabled);
        Assert.True(enabled.Enabled);
        await Api.ExpectProblem(await Api.Post("/api/v1/jobs/never-defined-toggle/enable"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_list_who_triggers_a_job_and_whom_it_triggers()
    {
        var (upstream, downstream) = (Api.NewId("up"), Api.NewId("down"));
        await Api.CreateJob(upstream);
        await Api.CreateJob(downstream, $$"""
            "triggers": [ { "job": "{{upstream}}", "on": "failed" }, { "event": "files-arrived" } ]
            """);

        var ofUpstream = await Api.Eventually(async () => await Api.Expect<JobLinks>(await Api.Get($"/api/v1/jobs/{upstream}/links"), HttpStatusCode.OK),
            links => links.Triggers.Count == 1, "the trigger index to name the downstream job");
        var ofDownstream = await Api.Expect<JobLinks>(await Api.Get($"/api/v1/jobs/{downstream}/links"), HttpStatusCode.OK);

        Assert.Equal(new Engine.JobLink(downstream, "failed"), ofUpstream.Triggers.Single());
        Assert.Empty(ofUpstream.TriggeredBy);
        Assert.Equal([new JobTriggerLink(upstream, null, "failed"), new JobTriggerLink(null, "files-arrived", null)], ofDownstream.TriggeredBy);
        Assert.Empty(ofDownstream.Triggers);
    }

    [Fact]
    public async Task Should_count_the_jobs_by_status_and_the_runs_of_the_last_hour_by_minute()
    {
        var id = Api.NewId("stats");
        await Api.CreateJob(id);
        await Api.Post($"/api/v1/jobs/{id}/trigger");

        var stats = await Api.Eventually(async () => await Api.Expect<JsonElement>(await Api.Get("/api/v1/stats"), HttpStatusCode.OK),
            s => s.GetProperty("activity").EnumerateArray().Sum(m => m.GetProperty("succeeded").GetInt32()) >= 1, "the run in the activity");

        var minutes = stats.GetProperty("activity").EnumerateArray().ToList();
        Assert.Equal(60, minutes.Count);
        Assert.True(minutes.Zip(minutes.Skip(1), (a, b) => b.GetProperty("minute").GetDateTimeOffset() - a.GetProperty("minute").GetDateTimeOffset())
            .All(step => step == TimeSpan.FromMinutes(1)), "one entry per minute, oldest first");
        Assert.All(minutes, m => Assert.True(m.GetProperty("finished").GetInt32() >= m.GetProperty("succeeded").GetInt32() + m.GetProperty("failed").GetInt32()));
        Assert.True(stats.GetProperty("jobs").GetProperty("waiting").GetInt64() >= 1);
        Assert.True(stats.GetProperty("position").GetInt64() > 0);
    }

    [Fact]
    public async Task Should_give_a_new_gateways_first_stats_the_journals_end_so_a_live_reader_does_not_replay_it()
    {
        var id = Api.NewId("fresh");
        await Api.CreateJob(id);
        await Api.Eventually(async () => await Api.Expect<JsonElement>(await Api.Get($"/api/v1/jobs?q={id}"), HttpStatusCode.OK),
            p => p.GetProperty("items").GetArrayLength() == 1, "the job in the index");
        await using var fresh = await gateway.StartGateway(s => s);
        using var client = new HttpClient { BaseAddress = fresh.Url };

        var first = await Api.Expect<JsonElement>(await client.GetAsync("/api/v1/stats"), HttpStatusCode.OK);

        Assert.True(first.GetProperty("position").GetInt64() > 0, "the first answer already names the journal's end");
    }

    [Fact]
    public async Task Should_list_the_worker_with_its_slots_and_runs()
    {
        var workers = await Api.Expect<JsonElement>(await Api.Get("/api/v1/workers"), HttpStatusCode.OK);

        var worker = Assert.Single(workers.GetProperty("items").EnumerateArray());
        Assert.Equal("test-worker", worker.GetProperty("name").GetString());
        Assert.Equal("up", worker.GetProperty("status").GetString());
        Assert.True(worker.GetProperty("slots").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Number, worker.GetProperty("inFlight").ValueKind);
    }

    [Fact]
    public async Task Should_serve_a_running_runs_output_live_and_each_piece_once()
    {
        var id = Api.NewId("talk");
        await Api.CreateJob(id, handler: "talk");
        var runId = (await Api.Expect<JsonElement>(await Api.Post($"/api/v1/jobs/{id}/trigger"), HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;

        var first = await Api.Eventually(() => Api.Get($"/api/v1/runs/{runId}/output"),
            r => r.Headers.TryGetValues("Output-Running", out var running) && running.Single() == "true" && r.Content.Headers.ContentLength > 0, "the first line while the run runs");
        var next = first.Headers.GetValues("Output-Next").Single();
        var again = await Api.Get($"/api/v1/runs/{runId}/output?from={next}");

        Assert.Equal("first line\n", await first.Content.ReadAsStringAsync());
        Assert.Equal("", await again.Content.ReadAsStringAsync());
        Assert.Equal(next, again.Headers.GetValues("Output-Next").Single());

        await Api.Post($"/api/v1/runs/{runId}/cancel");
        await Api.Eventually(() => Api.Get($"/api/v1/runs/{runId}/output?from={next}"),
            r => r.Headers.GetValues("Output-Running").Single() == "false", "the output to say the run is over");
        await Api.ExpectProblem(await Api.Get($"/api/v1/runs/{runId}/output?from=-1"), HttpStatusCode.BadRequest, "from");
        await Api.ExpectProblem(await Api.Get($"/api/v1/runs/{id}~999/output"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_serve_the_dashboard_page_and_its_scripts_with_a_strict_content_policy()
    {
        var page = await Api.Get("/");
        var script = await Api.Get("/assets/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>ActorScheduler</title>", await page.Content.ReadAsStringAsync());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Get("/assets/missing.js")).StatusCode);
    }

    [Fact]
    public async Task Should_say_that_no_sign_in_is_needed_without_a_token()
    {
        var session = await Api.Expect<JsonElement>(await Api.Get("/dashboard/session"), HttpStatusCode.OK);

        Assert.False(session.GetProperty("tokenRequired").GetBoolean());
        Assert.True(session.GetProperty("signedIn").GetBoolean());
    }
}

public sealed class HistoryPagingSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_page_through_a_jobs_history_by_sequence_number_without_gaps_or_repeats()
    {
        var id = Api.NewId("paged");
        await Api.CreateJob(id);
        for (var i = 0; i < 4; i++)
        {
            await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/pause"), HttpStatusCode.OK);
            await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/resume"), HttpStatusCode.OK);
        }
        var whole = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);

        var seen = new List<long>();
        long? from = 1;
        var pages = 0;
        while (from is { } start)
        {
            var page = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history?from={start}&limit=3"), HttpStatusCode.OK);
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(e => e.Seq));
            (from, pages) = (page.Next, pages + 1);
        }

        Assert.Equal(9, whole.Items.Count);
        Assert.Null(whole.Next);
        Assert.Equal(whole.Items.Select(e => e.Seq), seen);
        Assert.Equal(3, pages);
        var beyond = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history?from=100"), HttpStatusCode.OK);
        Assert.Empty(beyond.Items);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}/history?from=0"), HttpStatusCode.BadRequest, "from");
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}/history?limit=1001"), HttpStatusCode.BadRequest, "limit");
        await Api.ExpectProblem(await Api.Get("/api/v1/jobs/never-paged/history?from=5"), HttpStatusCode.NotFound);
    }
}
