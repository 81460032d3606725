using System.Net;
using System.Text;
using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>A thin client for the gateway under test: raw JSON in, typed or problem answers out.</summary>
public sealed class Api(HttpClient client) : IDisposable
{
    public HttpClient Client => client;

    public void Dispose() => client.Dispose();

    public Task<HttpResponseMessage> Get(string path) => Send(HttpMethod.Get, path);

    public Task<HttpResponseMessage> Delete(string path) => Send(HttpMethod.Delete, path);

    public Task<HttpResponseMessage> Post(string path, string? json = null) => Send(HttpMethod.Post, path, json);

    public Task<HttpResponseMessage> Put(string path, string json) => Send(HttpMethod.Put, path, json);

    public Task<HttpResponseMessage> Send(HttpMethod method, string path, string? json = null) => Send(method, path, json, []);

    /// <summary>Sends with extra request headers, e.g. <c>("Host", "attacker.example")</c> or <c>("Origin", …)</c>.</summary>
    public Task<HttpResponseMessage> Send(HttpMethod method, string path, string? json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers)
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"{name} is not a request header");
        return client.SendAsync(request);
    }

    /// <summary>Asserts the status (showing the body when it differs) and reads the body in CoreJson.</summary>
    public static async Task<T> Expect<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return CoreJson.Deserialize<T>(body);
    }

    public async Task<JobView> CreateJob(string id, string extra = "", string handler = "noop")
    {
        var response = await Post("/api/v1/jobs", Job(id, extra, handler));
        return await Expect<JobView>(response, HttpStatusCode.Created);
    }

    public async Task<JobView> GetJob(string id) => await Expect<JobView>(await Get($"/api/v1/jobs/{id}"), HttpStatusCode.OK);

    /// <summary>The job's journal, its first page (<c>GET /api/v1/jobs/{id}/history</c>).</summary>
    public async Task<HistoryList> History(string id) => await Expect<HistoryList>(await Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);

    /// <summary>Triggers the job by hand and waits for that run to finish (and its output to be recorded).</summary>
    public async Task<RunView> TriggerAndFinish(string id)
    {
        var accepted = await Expect<TriggerAccepted>(await Post($"/api/v1/jobs/{id}/trigger"), HttpStatusCode.Accepted);
        return await Eventually(async () => await Expect<RunView>(await Get($"/api/v1/runs/{accepted.RunId}"), HttpStatusCode.OK),
            run => run.Status.IsFinished() && run.Output is not null, $"run {accepted.RunId} to finish");
    }

    /// <summary>
    /// Asserts an RFC 9457 problem with the given status whose detail mentions <paramref name="detailNames"/>
    /// (e.g. the offending field), and returns its detail.
    /// </summary>
    public static async Task<string> ExpectProblem(HttpResponseMessage response, HttpStatusCode status, string? detailNames = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("type").GetString()), body);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()), body);
        var detail = root.GetProperty("detail").GetString() ?? "";
        if (detailNames is not null)
            Assert.True(detail.Contains(detailNames, StringComparison.Ordinal), $"the detail should name '{detailNames}': {detail}");
        return detail;
    }

    /// <summary>A valid on-demand definition run by the test runner's <c>noop</c> handler, plus any extra members.</summary>
    public static string Job(string id, string extra = "", string handler = "noop") =>
        $$"""{ "id": "{{id}}", "run": { "handler": { "name": "{{handler}}" } }{{(extra.Length > 0 ? ", " + extra : "")}} }""";

    /// <summary>A job id no other test uses (tests share one engine per class).</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> after a generous bound.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T last;
        do
        {
            last = await probe();
            if (condition(last))
                return last;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last seen: {last}");
    }
}
