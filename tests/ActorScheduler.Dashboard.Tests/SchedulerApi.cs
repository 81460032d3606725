using System.Net;
using System.Text.Json.Nodes;
using ActorScheduler.Integration.Tests;
using Xunit.Sdk;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// Sets up and observes state through the node's HTTP API (docs/API.md), so that browser specs act only on what the
/// page shows. Every wait polls until its condition holds; its bound is generous because CI is slow, not a goal.
/// </summary>
public sealed class SchedulerApi(NodeProcess node)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly string[] FinalStatuses = ["succeeded", "failed", "timedOut", "canceled", "lost"];

    /// <summary>The node's client: its base address is the gateway, and it carries the token when there is one.</summary>
    public HttpClient Http => node.Http;

    /// <summary>A job id no other spec on the shared node uses: "prefix-" and 12 hex digits.</summary>
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>A JobDefinition run on demand only (no schedule) whose run is <c>bash -c script</c>.</summary>
    public static JsonObject ShellJob(string id, string script) => new()
    {
        ["id"] = id,
        ["run"] = new JsonObject { ["shell"] = new JsonObject { ["command"] = new JsonArray("bash", "-c", script) } },
    };

    /// <summary><see cref="ShellJob"/> on a cron schedule in UTC.</summary>
    public static JsonObject CronJob(string id, string cron, string script)
    {
        var job = ShellJob(id, script);
        job["schedule"] = new JsonObject { ["cron"] = cron, ["timeZone"] = "UTC" };
        return job;
    }

    /// <summary>A job path of the API: <c>/api/v1/jobs/{id}</c> and what follows.</summary>
    public static string JobPath(string jobId, string rest = "") => $"/api/v1/jobs/{Uri.EscapeDataString(jobId)}{rest}";

    /// <summary>A run's path of the API: <c>/api/v1/runs/{runId}</c>.</summary>
    public static string RunPath(string runId) => $"/api/v1/runs/{Uri.EscapeDataString(runId)}";

    /// <summary>
    /// Creates the jobs a few at a time (as many clients would), for specs that need many; each must answer 201.
    /// </summary>
    public async Task CreateJobsAsync(IEnumerable<JsonNode> definitions)
    {
        foreach (var batch in definitions.Chunk(10))
            await Task.WhenAll(batch.Select(CreateJobAsync));
    }

    /// <summary>The JobView, or null when the API answers 404 (no such job).</summary>
    public async Task<JsonNode?> FindJobAsync(string jobId)
    {
        var response = await node.Http.GetAsync(JobPath(jobId));
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ExpectAsync(response, HttpStatusCode.OK, "GET " + JobPath(jobId));
    }

    /// <summary><c>POST /api/v1/jobs/{id}/pause</c> with a reason.</summary>
    public async Task PauseAsync(string jobId, string reason)
    {
        var response = await node.PostJson(JobPath(jobId, "/pause"), new JsonObject { ["reason"] = reason }.ToJsonString());
        await ExpectAsync(response, HttpStatusCode.OK, "POST " + JobPath(jobId, "/pause"));
    }

    /// <summary>
    /// Waits until the job list (its read model follows each job's change shortly after the job answers) holds
    /// exactly <paramref name="count"/> jobs whose id contains <paramref name="search"/>, with the status if given.
    /// </summary>
    public Task<JsonNode> EventuallyListedAsync(string search, int count, string? status = null) =>
        EventuallyAsync($"/api/v1/jobs?q={Uri.EscapeDataString(search)}&limit=500{(status is null ? "" : "&status=" + status)}",
            list => list["items"]!.AsArray().Count == count, $"{count} {status ?? "listed"} jobs matching '{search}'");

    /// <summary><c>POST /api/v1/jobs</c>; anything but 201 fails the spec with the problem document.</summary>
    public async Task<JsonNode> CreateJobAsync(JsonNode definition)
    {
        var response = await node.PostJson("/api/v1/jobs", definition.ToJsonString());
        return await ExpectAsync(response, HttpStatusCode.Created, "POST /api/v1/jobs");
    }

    /// <summary><c>POST /api/v1/jobs/{id}/trigger</c>: the new run's id.</summary>
    public async Task<string> TriggerAsync(string jobId)
    {
        var path = $"/api/v1/jobs/{Uri.EscapeDataString(jobId)}/trigger";
        var accepted = await ExpectAsync(await node.PostJson(path, "{}"), HttpStatusCode.Accepted, "POST " + path);
        return accepted["runId"]!.GetValue<string>();
    }

    /// <summary>The run's RunView once it has ended, whatever its outcome (the spec asserts which it expected).</summary>
    public Task<JsonNode> WaitForRunToEndAsync(string runId) =>
        node.Eventually(RunPath(runId),
            run => FinalStatuses.Contains(run["status"]!.GetValue<string>()), $"run {runId} to end", (int)Patience.TotalSeconds);

    /// <summary>Polls <c>GET path</c> until the condition holds (JSON answers; see <see cref="NodeProcess.Eventually"/>).</summary>
    public Task<JsonNode> EventuallyAsync(string path, Func<JsonNode, bool> condition, string what) =>
        node.Eventually(path, condition, what, (int)Patience.TotalSeconds);

    /// <summary><c>GET /metrics</c> over the loopback socket, parsed; a line that is not Prometheus text fails the spec.</summary>
    public async Task<IReadOnlyList<PrometheusSample>> ScrapeMetricsAsync()
    {
        var response = await node.Http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new XunitException($"GET /metrics → {(int)response.StatusCode}: {body}");
        return PrometheusText.Parse(body);
    }

    /// <summary>Scrapes until the samples satisfy the condition (gauges such as actorscheduler_jobs lag up to 5 s).</summary>
    public async Task<IReadOnlyList<PrometheusSample>> EventuallyMetricsAsync(Func<IReadOnlyList<PrometheusSample>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyList<PrometheusSample> last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = await ScrapeMetricsAsync();
            if (condition(last))
                return last;
            await Task.Delay(250);
        }
        throw new XunitException($"Timed out waiting for {what}. Last scrape:\n{string.Join('\n', last)}\nNode console:\n{node.Console}");
    }

    private static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string request)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new XunitException($"{request} → {(int)response.StatusCode}, expected {(int)expected}: {body}");
        return JsonNode.Parse(body)!;
    }
}
