using System.Net;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// A browser page from another origin must not change anything, whatever it sends: state-changing requests
/// carrying a foreign Origin are refused with 403 before the body is read. Requests without an Origin (curl, the
/// .NET client) are not browsers and pass.
/// </summary>
public sealed class CrossOriginSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Evil = "http://evil.example";

    private Api Api => gateway.Api;

    private int Port => gateway.Server.Url.Port;

    private static async Task ExpectRefused(HttpResponseMessage response)
    {
        var detail = await Api.ExpectProblem(response, HttpStatusCode.Forbidden, "Origin:");
        Assert.Contains(Evil, detail);
    }

    private Task<HttpResponseMessage> FromEvil(HttpMethod method, string path, string? json = null) =>
        Api.Send(method, path, json, ("Origin", Evil));

    private async Task<RunList> Runs(string id) => await Api.Expect<RunList>(await Api.Get($"/api/v1/jobs/{id}/runs"), HttpStatusCode.OK);

    /// <summary>Everything a change could touch in a job's view, as one comparable text.</summary>
    private async Task<string> State(string id)
    {
        var job = await Api.GetJob(id);
        return $"v{job.Version} {job.Status} runs {job.RunCount}/{(await Runs(id)).Items.Count} next {job.NextDueAt:O} paused '{job.PausedReason}' " +
            CoreJson.Serialize(job.Definition);
    }

    [Theory]
    [InlineData("POST", "trigger", null, false)]
    [InlineData("POST", "trigger", """{ "data": { "customer": 1234 } }""", false)]
    [InlineData("POST", "pause", """{ "reason": "pwned" }""", false)]
    [InlineData("POST", "resume", null, true)]
    [InlineData("POST", "reschedule", """{ "at": "2098-01-01T00:00:00Z" }""", false)]
    [InlineData("DELETE", "", null, false)]
    [InlineData("PUT", "", """{ "run": { "handler": { "name": "fail" } }, "tags": ["changed"] }""", false)]
    public async Task Should_refuse_and_change_nothing_when_a_foreign_origin_acts_on_a_job(string method, string action, string? body, bool paused)
    {
        var id = Api.NewId($"csrf-{method}-{action}".ToLowerInvariant().TrimEnd('-'));
        await Api.CreateJob(id, """ "schedule": { "every": { "days": 1 }, "start": "2099-01-01T00:00:00Z" } """);
        if (paused)
            await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/pause"), HttpStatusCode.OK);
        var before = await State(id);

        await ExpectRefused(await FromEvil(new HttpMethod(method), $"/api/v1/jobs/{id}{(action.Length > 0 ? "/" + action : "")}", body));

        Assert.Equal(before, await State(id));
    }

    [Fact]
    public async Task Should_refuse_a_run_cancel_and_leave_the_run_going_when_the_origin_is_foreign()
    {
        var id = Api.NewId("csrf-cancel");
        await Api.CreateJob(id, handler: "block");
        var runId = (await Api.Expect<TriggerAccepted>(await Api.Post($"/api/v1/jobs/{id}/trigger"), HttpStatusCode.Accepted)).RunId;
        await Api.Eventually(async () => await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{runId}"), HttpStatusCode.OK),
            run => run.Status == RunStatus.Running, $"run {runId} to be running");

        await ExpectRefused(await FromEvil(HttpMethod.Post, $"/api/v1/runs/{runId}/cancel"));

        var run = await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{runId}"), HttpStatusCode.OK);
        Assert.Equal(RunStatus.Running, run.Status);
        await Api.Expect<RunView>(await Api.Post($"/api/v1/runs/{runId}/cancel"), HttpStatusCode.OK); // let the worker go
    }

    [Theory]
    [InlineData(Evil)]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("file://")]
    public async Task Should_refuse_a_create_and_store_nothing_when_the_origin_is_foreign(string origin)
    {
        var (posted, put) = (Api.NewId("csrf-post"), Api.NewId("csrf-put"));

        var post = await Api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(posted), ("Origin", origin));
        var replace = await Api.Send(HttpMethod.Put, $"/api/v1/jobs/{put}", Api.Job(put), ("Origin", origin));

        await Api.ExpectProblem(post, HttpStatusCode.Forbidden, "Origin:");
        await Api.ExpectProblem(replace, HttpStatusCode.Forbidden, "Origin:");
        foreach (var id in new[] { posted, put })
            await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("[::1]:{port}")]
    public async Task Should_accept_a_change_when_the_origin_is_the_gateways_own(string authority)
    {
        var id = Api.NewId("same-origin");
        var own = authority.Replace("{port}", Port.ToString());

        var response = await Api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("Host", own), ("Origin", $"http://{own}"));

        await Api.Expect<JobView>(response, HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("localhost:{port}", "http://127.0.0.1:{port}")]
    [InlineData("127.0.0.1:{port}", "http://127.0.0.1:1")]
    public async Task Should_refuse_a_change_from_another_name_port_or_scheme_of_the_gateway_than_the_request_went_to(string host, string origin)
    {
        var id = Api.NewId("other-authority");

        var response = await Api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id),
            ("Host", host.Replace("{port}", Port.ToString())), ("Origin", origin.Replace("{port}", Port.ToString())));

        await Api.ExpectProblem(response, HttpStatusCode.Forbidden, "Origin:");
    }

    [Fact]
    public async Task Should_answer_reads_without_cors_headers_when_the_origin_is_foreign()
    {
        // A foreign page may send a GET (browsers do not ask first) but may not read the answer: no CORS headers.
        var response = await FromEvil(HttpMethod.Get, "/api/v1/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("*", "scheduler.example.com", "https://evil.example")]
    [InlineData("*.example.com", "scheduler.example.com", "https://attacker.example.com")]
    [InlineData("*.example.com", "scheduler.example.com", "http://scheduler.example.com:8080")]
    public async Task Should_refuse_a_change_from_a_page_of_another_site_that_the_allowed_host_patterns_would_match(
        string allowed, string host, string origin)
    {
        await using var server = await gateway.StartGateway(s => s with { AllowedHosts = [allowed] });
        using var api = new Api(new HttpClient { BaseAddress = server.Url });
        var id = Api.NewId("pattern-origin");

        var response = await api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("Host", host), ("Origin", origin));
        var fromItself = await api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("Host", host), ("Origin", $"http://{host}"));

        await Api.ExpectProblem(response, HttpStatusCode.Forbidden, "Origin:");
        await Api.Expect<JobView>(fromItself, HttpStatusCode.Created);
    }
}
