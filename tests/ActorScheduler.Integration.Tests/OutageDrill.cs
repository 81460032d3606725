using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// One storage outage against a running node, and the promises of docs/CLUSTER.md ("Storage outages") checked around it:
/// <list type="bullet">
/// <item>during the outage every API request answers, and with the truth: a 2xx that really happened or a 503
/// <c>application/problem+json</c> saying the database is unavailable, with Retry-After — never a 500, never a hang (the
/// client waits far longer than the gateway's ask timeout, and the status is what is asserted);</item>
/// <item>nothing acknowledged is lost: every job answered 201 (before, during, after) exists afterwards, every run answered
/// 202 ran, every run finished before the outage is still recorded;</item>
/// <item>firing resumes by itself once the database is back (nothing is restarted) and <c>/readyz</c> says ready again;</item>
/// <item>the occurrences missed meanwhile follow each job's misfire policy: skip records them as skipped, fireOnce runs one
/// catch-up run, fireAll runs one catch-up run per missed occurrence.</item>
/// </list>
/// The times it measures are written to the test output, never asserted.
/// </summary>
internal sealed class OutageDrill(NodeProcess node, ITestOutputHelper output)
{
    private static readonly string[] Policies = ["skip", "fireOnce", "fireAll"];

    /// <summary>Far beyond the gateway's ask timeout (30 s): a request that hangs shows up as a failure, not as a 503.</summary>
    private readonly HttpClient _http = new() { BaseAddress = node.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };

    private readonly List<string> _created = [];
    private readonly List<string> _triggered = [];
    private readonly Dictionary<int, int> _statuses = new();
    private TimeSpan _slowest503;

    public async Task Run(string outage, TimeSpan length, Func<Task> begin, Func<Task> end)
    {
        using var _ = _http;
        var before = await Prepare();

        _statuses.Clear(); // from here on: the answers during the outage
        var began = DateTimeOffset.UtcNow;
        await begin();
        var noticed = await Until("/readyz", (status, body) => status == 503 && body.Contains("database is unavailable"), "/readyz to report the outage") - began;
        var round = 0;
        while (DateTimeOffset.UtcNow < began + length)
        {
            await Requests(++round);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.True(_statuses.GetValueOrDefault(503) > 0, $"no request was refused during the outage ({Describe()}): the drill did not take the database away");

        var during = Describe();
        var ended = DateTimeOffset.UtcNow;
        await end();
        var ready = await Until("/readyz", (status, _) => status == 200, "/readyz to say ready again") - ended;
        var resumed = new List<TimeSpan>();
        foreach (var policy in Policies)
        {
            var runs = await Eventually($"/api/v1/jobs/tick-{policy}/runs?limit=500", r => Items(r).Any(run =>
                Str(run, "trigger") == "schedule" && Str(run, "status") == "succeeded" && Time(run, "scheduledFor") > ended), $"tick-{policy} firing again");
            resumed.Add(Items(runs).Where(run => Str(run, "trigger") == "schedule" && Time(run, "scheduledFor") > ended && Str(run, "startedAt") != "")
                .Min(run => Time(run, "startedAt")) - ended);
        }
        await Create("after-1");

        await ExpectNothingLost(before);
        await ExpectMisfiresPerPolicy(began);
        output.WriteLine($"{outage} for {length.TotalSeconds:0} s: /readyz reported it after {noticed.TotalSeconds:0.0} s; answers during it: {during}, " +
                         $"slowest 503 {_slowest503.TotalSeconds:0.0} s; after it ended: ready again in {ready.TotalSeconds:0.0} s, " +
                         $"jobs firing on schedule again in {string.Join(" / ", resumed.Select(t => $"{t.TotalSeconds:0.0}"))} s (skip / fireOnce / fireAll)");
    }

    /// <summary>
    /// Jobs firing every second (one per misfire policy), three on-demand jobs, one triggered run; answers the runs finished
    /// so far. Every job allows overlap: a run in flight when the database went away is sent again after it returns, and
    /// overlap skip would then rightly skip the catch-up run beside it.
    /// </summary>
    private async Task<List<string>> Prepare()
    {
        foreach (var policy in Policies)
            await Create($"tick-{policy}", $$"""
                "schedule": { "every": { "seconds": 1 } }, "misfire": { "policy": "{{policy}}" }, "overlap": "allow",
                """);
        for (var i = 1; i <= 3; i++)
            await Create($"before-{i}", "\"overlap\": \"allow\",");
        await Trigger("before-1", expectAccepted: true);
        var finished = new List<string>();
        foreach (var policy in Policies)
        {
            var runs = await Eventually($"/api/v1/jobs/tick-{policy}/runs", r => Items(r).Count(run => Str(run, "status") == "succeeded") >= 2, $"tick-{policy} firing");
            finished.AddRange(Items(runs).Where(run => Str(run, "status") == "succeeded").Select(run => Str(run, "runId")));
        }
        return finished;
    }

    /// <summary>One round of the API during the outage: reads from the index and from jobs, a create and a trigger.</summary>
    private async Task Requests(int round)
    {
        await Send(HttpMethod.Get, "/api/v1/jobs");
        await Send(HttpMethod.Get, $"/api/v1/jobs/tick-{Policies[round % 3]}");
        await Send(HttpMethod.Get, $"/api/v1/jobs/before-{round % 3 + 1}/runs");
        if (await Send(HttpMethod.Post, "/api/v1/jobs", Definition($"during-{round}")) is (201, _))
            _created.Add($"during-{round}");
        await Trigger($"before-{round % 3 + 1}", expectAccepted: false);
    }

    private async Task ExpectNothingLost(List<string> finishedBefore)
    {
        foreach (var id in _created)
            await Eventually($"/api/v1/jobs/{id}", job => Str(job, "id") == id, $"{id}, created with 201, to exist");
        foreach (var runId in _triggered)
            await Eventually($"/api/v1/runs/{runId}", run => Str(run, "status") == "succeeded", $"run {runId}, accepted with 202, to have run");
        foreach (var runId in finishedBefore)
            await Eventually($"/api/v1/runs/{runId}", run => Str(run, "status") == "succeeded", $"run {runId}, finished before the outage, to be recorded");
    }

    private async Task ExpectMisfiresPerPolicy(DateTimeOffset began)
    {
        await Eventually("/api/v1/jobs/tick-skip/history?limit=1000", h => Items(h).Any(e => Str(e, "type") == "runs-skipped" &&
            Str(e!["data"], "reason").Contains("misfire: skipped by policy") && Time(e, "at") > began), "tick-skip to record the missed occurrences as skipped");
        var fireAll = await Eventually("/api/v1/jobs/tick-fireAll/runs?limit=500", r => CatchUps(r).Count >= 2 &&
            CatchUps(r).All(run => Str(run, "status") == "succeeded"), "tick-fireAll's catch-up runs, one per missed occurrence");
        var occurrences = CatchUps(fireAll).Select(run => Str(run, "scheduledFor")).ToList();
        Assert.True(occurrences.Count == occurrences.Distinct().Count(), $"tick-fireAll ran an occurrence twice: {string.Join(", ", occurrences)}");
        var fireOnce = await Eventually("/api/v1/jobs/tick-fireOnce/runs?limit=500", r => CatchUps(r).Any(run => Str(run, "status") == "succeeded"),
            "tick-fireOnce's one catch-up run");
        Assert.True(CatchUps(fireOnce).Count == 1, $"fireOnce: {CatchUps(fireOnce).Count} catch-up runs");
        var skip = await Eventually("/api/v1/jobs/tick-skip/runs?limit=500", _ => true, "tick-skip's runs");
        Assert.Empty(CatchUps(skip));
        output.WriteLine($"misfires: skip recorded them as skipped, fireOnce ran 1 catch-up run, fireAll {occurrences.Count}");
    }

    private static List<JsonNode> CatchUps(JsonNode runs) => Items(runs).Where(run => Str(run, "trigger") == "catchUp").Select(run => run!).ToList();

    private async Task Create(string id, string schedule = "")
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/jobs", Definition(id, schedule));
        Assert.True(status == 201, $"POST {id} → {status}: {body}\n{node.Console}");
        _created.Add(id);
    }

    private async Task Trigger(string id, bool expectAccepted)
    {
        var (status, body) = await Send(HttpMethod.Post, $"/api/v1/jobs/{id}/trigger", "{}");
        if (status == 202)
            _triggered.Add(Str(JsonNode.Parse(body), "runId"));
        else
            Assert.False(expectAccepted, $"trigger {id} → {status}: {body}");
    }

    private static string Definition(string id, string schedule = "") =>
        $$"""{ "id": "{{id}}", {{schedule}} "run": { "handler": { "name": "noop" } } }""";

    /// <summary>
    /// A request whose answer must be the truth: a 2xx, or a 503 problem that says the database is unavailable, with
    /// Retry-After (a job that is not found or busy is a 404 or 409, which do not happen here). Anything else fails the drill.
    /// </summary>
    private async Task<(int Status, string Body)> Send(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var started = DateTimeOffset.UtcNow;
        using var response = await _http.SendAsync(request);
        var (status, body) = ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        if (status == 503)
        {
            _slowest503 = TimeSpan.FromTicks(Math.Max(_slowest503.Ticks, (DateTimeOffset.UtcNow - started).Ticks));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(Str(JsonNode.Parse(body), "detail").Contains("database is unavailable"), $"{method} {path} → 503 without saying why: {body}");
            Assert.True(response.Headers.RetryAfter is not null, $"{method} {path} → 503 without Retry-After");
        }
        else
            Assert.True(status is >= 200 and < 300, $"{method} {path} → {status} during the outage: {body}\n{node.Console}");
        return (status, body);
    }

    private async Task<DateTimeOffset> Until(string path, Func<int, string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _http.GetAsync(path);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (condition((int)response.StatusCode, last))
                return DateTimeOffset.UtcNow;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. Last: {last}\n{node.Console}");
    }

    /// <summary>Polls until the answer (200) satisfies <paramref name="condition"/>; other answers count as "not yet".</summary>
    private async Task<JsonNode> Eventually(string path, Func<JsonNode, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _http.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                if (last is not null && condition(last))
                    return last;
            }
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. Last {path}: {last?.ToJsonString()}\n{node.Console}");
    }

    private string Describe() => string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}× {s.Key}"));

    private static JsonArray Items(JsonNode page) => page["items"]!.AsArray();

    private static string Str(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    private static DateTimeOffset Time(JsonNode? node, string name) => DateTimeOffset.Parse(Str(node, name));
}
