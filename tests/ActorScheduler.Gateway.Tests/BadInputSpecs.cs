using System.Net;

namespace ActorScheduler.Gateway.Tests;

/// <summary>Every refused definition answers 400 naming its field, and leaves no trace of the job behind.</summary>
public sealed class BadInputSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Run = """ "run": { "handler": { "name": "noop" } } """;

    private Api Api => gateway.Api;

    /// <summary>A body with <c>{id}</c> where the job id goes, and the field its detail must name.</summary>
    private static readonly (string Body, string Field)[] BadDefinitions =
    [
        ("""{ "id": "{id}" }""", "run"),
        ("""{ "id": "{id}", "run": { "shell": { "command": [] } } }""", "run.shell.command"),
        ("""{ "id": "{id}", "run": { "handler": { "name": "x" }, "http": { "url": "http://x" } } }""", "run"),
        ("""{ "id": "{id}", "run": { "http": { "url": "ftp://example.org" } } }""", "run.http.url"),
        ("""{ "id": "{id}", "run": { "handler": { "name": "x", "args": [] } } }""", "run.handler.args"),
        ($$"""{ "id": "{id}", {{Run}}, "maxRuns": "many" }""", "maxRuns"),
        ($$"""{ "id": "{id}", {{Run}}, "maxRuns": 0 }""", "maxRuns"),
        ($$"""{ "id": "{id}", {{Run}}, "colour": "blue" }""", "colour"),
        ($$"""{ "id": "{id}", {{Run}}, "overlap": "sometimes" }""", "overlap"),
        ($$"""{ "id": "{id}", {{Run}}, "timeout": "5 min" }""", "timeout"),
        ($$"""{ "id": "{id}", {{Run}}, "timeout": "PT0S" }""", "timeout"),
        ($$"""{ "id": "{id}", {{Run}}, "window": { "start": "yesterday" } }""", "window.start"),
        ($$"""{ "id": "{id}", {{Run}}, "window": { "start": "2027-01-01T00:00:00Z", "stop": "2026-01-01T00:00:00Z" } }""", "window.stop"),
        ($$"""{ "id": "{id}", {{Run}}, "schedule": { "cron": "0 0 30 2 *" } }""", "schedule.cron"),
        ($$"""{ "id": "{id}", {{Run}}, "schedule": { "cron": "* * *" } }""", "schedule.cron"),
        ($$"""{ "id": "{id}", {{Run}}, "schedule": { "cron": "0 * * * *", "timeZone": "Mars/Olympus" } }""", "schedule.timeZone"),
        ($$"""{ "id": "{id}", {{Run}}, "schedule": { "every": { "fortnights": 1 } } }""", "schedule.every"),
        ($$"""{ "id": "{id}", {{Run}}, "schedule": { "after": "PT1M", "at": "2030-01-01T00:00:00Z" } }""", "schedule"),
        ($$"""{ "id": "{id}", {{Run}}, "retry": { "maxAttempts": 0 } }""", "retry.maxAttempts"),
        ($$"""{ "id": "{id}", {{Run}}, "retry": { "delay": "soon" } }""", "retry.delay"),
        ($$"""{ "id": "{id}", {{Run}}, "misfire": { "policy": "never" } }""", "misfire.policy"),
        ($$"""{ "id": "{id}", {{Run}}, "triggers": [ { "on": "succeeded" } ] }""", "triggers[0]"),
        ($$"""{ "id": "{id}", {{Run}}, "triggers": [ { "job": "x", "on": "sometimes" } ] }""", "triggers[0].on"),
        ($$"""{ "id": "{id}", {{Run}}, "tags": "billing" }""", "tags"),
        ($$"""{ "id": "{id}", {{Run}}, "enabled": null }""", "enabled"),
        ($$"""{ "id": "{id}", {{Run}}, "strictWorker": true }""", "strictWorker"),
        ($$"""{ "id": "{id}", {{Run}}, "data": { "a": 1 } """, "body"),
        ($$"""{ "id": "{id}", {{Run}} } trailing""", "body"),
    ];

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        for (var row = 0; row < BadDefinitions.Length; row++)
            foreach (var method in new[] { "POST", "PUT" })
                cases.Add(method, row);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_answer_400_naming_the_field_and_store_nothing_when_a_definition_is_invalid(string method, int row)
    {
        var (template, field) = BadDefinitions[row];
        var id = Api.NewId($"bad-{row}");
        var path = method == "POST" ? "/api/v1/jobs" : $"/api/v1/jobs/{id}";

        var response = await Api.Send(new HttpMethod(method), path, template.Replace("{id}", id));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, field + ":");
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{ "run": { "handler": { "name": "noop" } } }""", "id:")]
    [InlineData("""{ "id": "no spaces allowed", "run": { "handler": { "name": "noop" } } }""", "id:")]
    [InlineData("""{ "id": 5, "run": { "handler": { "name": "noop" } } }""", "id:")]
    [InlineData("""[ 1, 2 ]""", "body:")]
    [InlineData("""null""", "body:")]
    [InlineData("", "body:")]
    public async Task Should_answer_400_naming_the_id_or_body_when_posting_without_a_usable_definition(string body, string field)
    {
        await Api.ExpectProblem(await Api.Post("/api/v1/jobs", body), HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("trigger", """{ "data": 1, "extra": true }""", "extra:")]
    [InlineData("pause", """{ "reason": 42 }""", "reason:")]
    [InlineData("reschedule", """{ }""", "at:")]
    [InlineData("reschedule", """{ "at": "next tuesday" }""", "at:")]
    [InlineData("reschedule", "", "body:")]
    public async Task Should_answer_400_naming_the_field_when_an_action_body_is_invalid(string action, string body, string field)
    {
        var id = Api.NewId($"action-{action}");
        await Api.CreateJob(id);

        await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{id}/{action}", body), HttpStatusCode.BadRequest, field);
        var after = await Api.GetJob(id);
        Assert.Equal(1, after.Version);
    }

    [Fact]
    public async Task Should_answer_413_when_the_body_is_larger_than_the_gateway_accepts()
    {
        var id = Api.NewId("huge");
        var padding = new string('x', (int)GatewayServer.MaxRequestBodyBytes);

        // With "Expect: 100-continue" the client waits for the verdict instead of writing into a closed connection.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = new StringContent(Api.Job(id, $$""" "data": { "padding": "{{padding}}" } """), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var response = await Api.Client.SendAsync(request);

        await Api.ExpectProblem(response, HttpStatusCode.RequestEntityTooLarge);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }
}
