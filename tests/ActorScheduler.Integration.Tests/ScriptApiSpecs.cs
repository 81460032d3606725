using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// The script API as a script meets it, on a real node: its payload on standard input, SCHEDULER_API_URL and its own
/// SCHEDULER_RUN_TOKEN, with which it reports progress, logs lines into its output, emits an event that triggers
/// another job and adds an item to a work queue — through curl over a real socket, on a node whose API needs a token
/// (the script has only its run token). The token is refused for another run, and once its run has ended.
/// </summary>
public sealed class ScriptApiSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("as-script-api-").FullName;

    [Fact]
    public async Task Should_let_a_script_report_log_and_emit_with_its_run_token_only_while_its_run_runs()
    {
        const string apiToken = "script-api-spec-token-0123456789abcdef";
        await using var node = await NodeProcess.StartAsync(environment: new Dictionary<string, string> { ["ACTORSCHEDULER__Gateway__Token"] = apiToken });
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        const string script = """
            set -eu
            payload=$(cat)
            echo "payload: $payload"
            printf '%s\n%s\n' "$SCHEDULER_API_URL" "$SCHEDULER_RUN_TOKEN" > "$OUT_DIR/token"
            call() { curl -sS --fail-with-body -X POST -H "Authorization: Bearer $SCHEDULER_RUN_TOKEN" -H 'Content-Type: application/json' \
              -d "$2" "$SCHEDULER_API_URL/api/v1/runs/$SCHEDULER_RUN_ID/$1"; }
            call progress '{"current": 3, "max": 4}'
            call log '{"lines": ["logged through the API"]}'
            call emit '{"event": "script-done", "data": {"from": "api"}}'
            curl -sS --fail-with-body -X POST -H "Authorization: Bearer $SCHEDULER_RUN_TOKEN" -H 'Content-Type: application/json' \
              -d '{"data": {"added": "by the script"}}' "$SCHEDULER_API_URL/api/v1/queues/work/items" > /dev/null
            echo "printed after"
            """;
        Assert.Equal(HttpStatusCode.Created, (await node.PostJson("/api/v1/jobs", $$"""
            { "id": "listener", "triggers": [ { "event": "script-done" } ], "run": { "handler": { "name": "noop" } } }
            """)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJson("/api/v1/jobs", $$"""
            { "id": "scripted", "run": { "shell": { "command": ["bash", "-c", {{JsonValue.Create(script).ToJsonString()}}],
              "env": { "OUT_DIR": {{JsonValue.Create(_directory).ToJsonString()}} }, "stdin": "payload" } } }
            """)).StatusCode);

        var triggered = await node.PostJson("/api/v1/jobs/scripted/trigger", """{"data":{"customer":42}}""");
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var runId = JsonNode.Parse(await triggered.Content.ReadAsStringAsync())!["runId"]!.GetValue<string>();
        var run = await node.Eventually($"/api/v1/runs/{runId}", r => r["status"]!.GetValue<string>() is not ("pending" or "running"), "the scripted run to end");

        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        var output = run["output"]!.GetValue<string>();
        Assert.Contains("payload: {\"customer\":42}", output);
        Assert.True(output.IndexOf("logged through the API", StringComparison.Ordinal) is > 0 and var logged &&
                    logged < output.IndexOf("printed after", StringComparison.Ordinal), output);
        Assert.Equal((3, 4), (run["progress"]!["current"]!.GetValue<int>(), run["progress"]!["max"]!.GetValue<int>()));
        var listened = await node.Eventually("/api/v1/jobs/listener/runs", r => r["items"]!.AsArray().Count > 0, "the emitted event to trigger the listener");
        Assert.Equal("api", listened["items"]![0]!["data"]!["from"]!.GetValue<string>());

        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory, "token"));
        Assert.Equal($"http://127.0.0.1:{node.Port}", lines[0]);
        var token = lines[1];
        var afterTheEnd = await Progress(node, runId, token);
        Assert.Equal(HttpStatusCode.Forbidden, afterTheEnd.StatusCode);
        Assert.Contains("works only while its run runs", await afterTheEnd.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await Progress(node, "listener~1", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Progress(node, runId, token[..^4] + "AAAA")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Progress(node, runId, null)).StatusCode);
        var item = Assert.Single((await node.GetJson("/api/v1/queues/work/items"))["items"]!.AsArray());
        Assert.Equal("by the script", item!["data"]!["added"]!.GetValue<string>());
        using var queueAfterTheEnd = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queues/work/items");
        queueAfterTheEnd.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Http.SendAsync(queueAfterTheEnd)).StatusCode);
        using var otherEndpoint = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        otherEndpoint.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Http.SendAsync(otherEndpoint)).StatusCode); // a run token opens nothing else
    }

    private static async Task<HttpResponseMessage> Progress(NodeProcess node, string runId, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/runs/{runId}/progress")
        {
            Content = new StringContent("""{ "current": 4 }""", Encoding.UTF8, "application/json"),
        };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await node.Http.SendAsync(request);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
