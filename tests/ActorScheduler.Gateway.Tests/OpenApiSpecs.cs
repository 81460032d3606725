using System.Net;
using System.Text.Json;

namespace ActorScheduler.Gateway.Tests;

public sealed class OpenApiSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    /// <summary>Every path of docs/API.md with its methods and the answers the contract names.</summary>
    public static TheoryData<string, string, string> ContractOperations => new()
    {
        { "/api/v1/jobs", "post", "201 400 409" },
        { "/api/v1/jobs/{id}", "put", "200 201 202 400 404 409" },
        { "/api/v1/jobs/{id}/pending-edit", "delete", "200 404" },
        { "/api/v1/jobs", "get", "200 400" },
        { "/api/v1/jobs/{id}", "get", "200 404" },
        { "/api/v1/jobs/{id}", "delete", "200 404" },
        { "/api/v1/jobs/{id}/trigger", "post", "202 404" },
        { "/api/v1/jobs/{id}/pause", "post", "200 404" },
        { "/api/v1/jobs/{id}/resume", "post", "200 404" },
        { "/api/v1/jobs/{id}/reschedule", "post", "200 400 404" },
        { "/api/v1/jobs/{id}/backfill", "post", "202 400 404 409" },
        { "/api/v1/jobs/{id}/describe", "get", "200 404" },
        { "/api/v1/jobs/{id}/runs", "get", "200 404" },
        { "/api/v1/jobs/{id}/history", "get", "200 404" },
        { "/api/v1/runs/{runId}", "get", "200 404" },
        { "/api/v1/runs/{runId}/cancel", "post", "200 404" },
        { "/api/v1/schedules/preview", "post", "200 400" },
        { "/api/v1/boards", "get", "200" },
        { "/api/v1/boards/{name}/diff", "post", "200 400 409" },
        { "/api/v1/boards/{name}/apply", "post", "200 400 409" },
        { "/healthz", "get", "200" },
        { "/readyz", "get", "200 503" },
    };

    private async Task<JsonElement> Document()
    {
        var response = await gateway.Api.Get("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [MemberData(nameof(ContractOperations))]
    public async Task Should_document_each_contract_operation_with_its_answers_when_serving_openapi(string path, string method, string statuses)
    {
        var paths = (await Document()).GetProperty("paths");

        Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is missing from the document");
        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.All(statuses.Split(' '), status => Assert.Contains(status, documented));
    }

    [Theory]
    [InlineData("/api/v1/jobs", "post", "JobDefinition")]
    [InlineData("/api/v1/jobs/{id}", "put", "JobDefinition")]
    [InlineData("/api/v1/jobs/{id}/trigger", "post", "TriggerRequest")]
    [InlineData("/api/v1/jobs/{id}/pause", "post", "PauseRequest")]
    [InlineData("/api/v1/jobs/{id}/reschedule", "post", "RescheduleRequest")]
    [InlineData("/api/v1/jobs/{id}/backfill", "post", "BackfillRequest")]
    [InlineData("/api/v1/schedules/preview", "post", "PreviewRequest")]
    [InlineData("/api/v1/boards/{name}/apply", "post", "BoardDocument")]
    public async Task Should_document_the_request_body_type_when_an_operation_takes_one(string path, string method, string schema)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);

        var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.EndsWith("/" + schema, body.GetProperty("$ref").GetString());
    }

    [Theory]
    [InlineData("/api/v1/jobs", "status worker tag board limit after")]
    [InlineData("/api/v1/jobs/{id}/runs", "id status from to limit")]
    [InlineData("/api/v1/jobs/{id}", "id effectiveAt", "put")]
    public async Task Should_document_the_query_parameters_when_an_operation_filters(string path, string names, string method = "get")
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);

        var documented = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.All(names.Split(' '), name => Assert.Contains(name, documented));
    }

    [Fact]
    public async Task Should_describe_durations_as_iso_8601_strings_when_serving_schemas()
    {
        var retry = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty("RetrySpec");

        var delay = retry.GetProperty("properties").GetProperty("delay");
        Assert.Equal("duration", delay.GetProperty("format").GetString());
    }

    [Theory]
    [InlineData("JobDefinition", "schedules", "exclude", "jitter")]
    [InlineData("PreviewRequest", "schedules", "exclude", "jitter", "jobId")]
    [InlineData("ExcludeSpec", "cron", "dates", "timeZone")]
    [InlineData("PreviewResult", "occurrences", "note")]
    public async Task Should_describe_several_schedules_exclusions_and_jitter_when_serving_schemas(string schema, params string[] properties)
    {
        var described = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");

        Assert.All(properties, p => Assert.True(described.TryGetProperty(p, out _), $"{schema} should describe {p}"));
    }

    [Theory]
    [InlineData("JobDefinition", "onFailure")]
    [InlineData("OnFailureSpec", "pauseAfter", "probeAfter")]
    [InlineData("BackfillRequest", "from", "to", "overlap")]
    [InlineData("BackfillAccepted", "count", "first", "last")]
    [InlineData("JobDescription", "job", "missedByCatchUpWindow", "skippedByOverlap", "nextTimes", "recentRuns")]
    [InlineData("JobDefinition", "concurrency")]
    [InlineData("ConcurrencySpec", "key", "limit")]
    [InlineData("TriggerSpec", "job", "on", "event", "all", "within")]
    [InlineData("JobView", "pendingEdit")]
    [InlineData("PendingEdit", "definition", "effectiveAt", "requestedAt", "by")]
    public async Task Should_describe_backfill_and_pause_on_failure_when_serving_schemas(string schema, params string[] properties)
    {
        var described = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");

        Assert.All(properties, p => Assert.True(described.TryGetProperty(p, out _), $"{schema} should describe {p}"));
    }

    [Fact]
    public async Task Should_list_the_backfill_and_probe_triggers_when_describing_runs()
    {
        var document = (await Document()).GetRawText();

        Assert.Contains("\"backfill\"", document);
        Assert.Contains("\"probe\"", document);
    }

    [Fact]
    public async Task Should_describe_the_overlap_policies_and_the_trigger_overlap_when_serving_schemas()
    {
        var document = await Document();
        var trigger = document.GetProperty("components").GetProperty("schemas").GetProperty("TriggerRequest").GetProperty("properties");

        Assert.True(trigger.TryGetProperty("overlap", out _), "TriggerRequest should describe overlap");
        var text = document.GetRawText();
        Assert.All(["\"bufferAll\"", "\"cancelOther\"", "\"terminateOther\"", "\"replace\""], value => Assert.Contains(value, text));
    }
}
