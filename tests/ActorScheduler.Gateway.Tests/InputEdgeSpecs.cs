using System.Net;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Input at the edges of what .NET can represent: ids with a trailing newline, numbers that overflow a duration,
/// strings that are not storable text. Each is a 400 naming its field, and nothing is stored.
/// </summary>
public sealed class InputEdgeSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Run = """ "run": { "handler": { "name": "noop" } } """;

    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_answer_400_and_store_nothing_when_the_path_id_ends_in_a_newline()
    {
        var response = await Api.Put("/api/v1/jobs/nl%0A", $$"""{ {{Run}} }""");

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "id:");
        var page = await Api.Expect<JobList>(await Api.Get("/api/v1/jobs?tag=never-used-tag"), HttpStatusCode.OK);
        Assert.Empty(page.Items);
        await Api.ExpectProblem(await Api.Get("/api/v1/jobs/nl%0A"), HttpStatusCode.BadRequest, "id:");
    }

    [Theory]
    [InlineData("POST", "/api/v1/jobs", """{ "id": "nl\n", "run": { "handler": { "name": "noop" } } }""", "id:")]
    [InlineData("POST", "/api/v1/jobs", """{ "id": "{id}", "run": { "handler": { "name": "noop" } }, "triggers": [ { "job": "up\n", "on": "succeeded" } ] }""", "triggers[0].job:")]
    [InlineData("POST", "/api/v1/jobs/nl%0A/trigger", null, "id:")]
    [InlineData("DELETE", "/api/v1/jobs/nl%0A", null, "id:")]
    [InlineData("GET", "/api/v1/jobs?after=nl%0A", null, "after:")]
    [InlineData("GET", "/api/v1/runs/nl%0A~1", null, "runId:")]
    [InlineData("POST", "/api/v1/jobs", """{ "id": "{id}", "run": { "handler": { "name": "noop" } }, "timeout": "PT30S\n" }""", "timeout:")]
    [InlineData("POST", "/api/v1/jobs", """{ "id": "{id}", "run": { "handler": { "name": "noop" } }, "window": { "start": "2026-12-01T00:00:00Z\n" } }""", "window.start:")]
    public async Task Should_answer_400_naming_the_field_when_an_id_duration_or_time_ends_in_a_newline(string method, string path, string? body, string field)
    {
        var id = Api.NewId("newline");

        var response = await Api.Send(new HttpMethod(method), path, body?.Replace("{id}", id));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, field);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    /// <summary>Schedules whose numbers overflow a TimeSpan (or the calendar), and the field the answer must name.</summary>
    public static TheoryData<string, string> OverflowingSchedules => new()
    {
        { """{ "every": { "ms": 9223372036854775807 } }""", "schedule.every:" },
        { """{ "every": { "milliseconds": -9223372036854775808 } }""", "schedule.every:" },
        { """{ "every": { "hours": 9223372036854775807 } }""", "schedule.every:" },
        { """{ "every": { "minutes": 153722867280912930 } }""", "schedule.every:" },
        { """{ "every": { "s": 9223372036854775807, "m": 9223372036854775807 } }""", "schedule.every:" },
        { """{ "every": { "d": 1, "ms": 922337203685477 } }""", "schedule.every:" },
        { """{ "every": { "ms": 922337203685477 } }""", "schedule.every:" },
        { """{ "every": { "y": 10000, "M": 120000, "w": 52000 } }""", "schedule.every:" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 2, "max": { "ms": 9223372036854775807 } } }""", "schedule.decay.max:" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 2, "min": { "h": 9223372036854775807 } } }""", "schedule.decay.min:" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 0.5, "min": { "ms": -9223372036854775808 } } }""", "schedule.decay.min:" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 1e400 } }""", "schedule.decay.factor:" },
        { """{ "every": { "ms": 1 }, "decay": { "factor": 1.0000001 } }""", "schedule.decay.factor:" },
        { """{ "after": "PT99999999999999999999S" }""", "schedule.after:" },
        { """{ "at": "10000-01-01T00:00:00Z" }""", "schedule.at:" },
    };

    [Theory]
    [MemberData(nameof(OverflowingSchedules))]
    public async Task Should_answer_400_naming_the_field_and_store_nothing_when_a_schedule_overflows(string schedule, string field)
    {
        var id = Api.NewId("overflow");

        foreach (var (method, path) in new[] { ("POST", "/api/v1/jobs"), ("PUT", $"/api/v1/jobs/{id}") })
        {
            var response = await Api.Send(new HttpMethod(method), path, Api.Job(id, $""" "schedule": {schedule} """));
            await Api.ExpectProblem(response, HttpStatusCode.BadRequest, field);
        }
        await Api.ExpectProblem(await Api.Post("/api/v1/schedules/preview", $$"""{ "schedule": {{schedule}} }"""), HttpStatusCode.BadRequest, field);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(""" "maxRuns": 2147483648 """, "maxRuns:")]
    [InlineData(""" "maxRuns": 1e3 """, "maxRuns:")]
    [InlineData(""" "retry": { "maxAttempts": 9223372036854775807 } """, "retry.maxAttempts:")]
    [InlineData(""" "retry": { "delay": "P99999999999999999999D" } """, "retry.delay:")]
    [InlineData(""" "retry": { "multiplier": 1e999 } """, "retry.multiplier:")]
    [InlineData(""" "retry": { "maxDelay": "PT9223372036854775807S" } """, "retry.maxDelay:")]
    [InlineData(""" "timeout": "P10675199DT2H48M5.4775808S" """, "timeout:")]
    [InlineData(""" "misfire": { "catchUpWindow": "P99999999999D" } """, "misfire.catchUpWindow:")]
    [InlineData(""" "window": { "stop": "9999-12-31T23:59:60Z" } """, "window.stop:")]
    [InlineData(""" "window": { "start": "0001-01-01T00:00:00+01:00" } """, "window.start:")]
    public async Task Should_answer_400_naming_the_field_when_a_number_elsewhere_in_the_definition_overflows(string member, string field)
    {
        var id = Api.NewId("overflow-member");

        await Api.ExpectProblem(await Api.Post("/api/v1/jobs", Api.Job(id, member)), HttpStatusCode.BadRequest, field);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{ "schedule": { "after": "P36500D" }, "from": "9999-12-31T23:59:59.9999999Z" }""")]
    [InlineData("""{ "schedule": { "every": { "d": 1 }, "timeZone": "America/New_York" }, "from": "0001-01-01T00:00:00Z" }""")]
    [InlineData("""{ "schedule": { "every": { "M": 1 }, "start": "9999-12-31T00:00:00Z", "timeZone": "Pacific/Kiritimati" }, "from": "9999-01-01T00:00:00Z" }""")]
    [InlineData("""{ "schedule": { "every": { "ms": 1 }, "decay": { "factor": 1000 } }, "from": "9999-12-31T23:59:59Z", "count": 1000 }""")]
    [InlineData("""{ "schedule": { "cron": "59 23 31 12 *" }, "from": "9999-12-31T23:59:00Z" }""")]
    public async Task Should_answer_the_occurrences_the_calendar_holds_when_a_preview_runs_past_its_ends(string body)
    {
        var result = await Api.Expect<PreviewResult>(await Api.Post("/api/v1/schedules/preview", body), HttpStatusCode.OK);

        Assert.All(result.Occurrences, at => Assert.True(at < DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("/api/v1/jobs", """{ "id": "{id}", "run": { "handler": { "name": "noop" } }, "tags": ["a\u0000b"] }""", "tags[0]:")]
    [InlineData("/api/v1/jobs", """{ "id": "{id}", "run": { "handler": { "name": "noop" } }, "data": { "note": "\ud800" } }""", "data.note:")]
    [InlineData("/api/v1/jobs", """{ "id": "{id}", "run": { "handler": { "name": "noop" } }, "data": { "\udfff": 1 } }""", "data:")]
    [InlineData("/api/v1/jobs", """{ "id": "{id}", "run": { "http": { "url": "http://x.example/", "body": ["\ud800x"] } } }""", "run.http.body[0]:")]
    [InlineData("/api/v1/jobs", """{ "id": "{id}", "run": { "shell": { "command": ["echo", "\udc00"] } } }""", "run.shell.command[1]:")]
    [InlineData("/api/v1/jobs/{id}/trigger", """{ "data": ["ok", "\u0000"] }""", "data[1]:")]
    [InlineData("/api/v1/jobs/{id}/pause", """{ "reason": "\u0000" }""", "reason:")]
    public async Task Should_answer_400_naming_the_field_when_a_string_is_not_storable_text(string path, string body, string field)
    {
        var id = Api.NewId("text");
        if (!path.EndsWith("/jobs", StringComparison.Ordinal))
            await Api.CreateJob(id);

        var response = await Api.Post(path.Replace("{id}", id), body.Replace("{id}", id));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, field);
        if (path.EndsWith("/jobs", StringComparison.Ordinal))
            await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
        else
            Assert.Equal(1, (await Api.GetJob(id)).Version);
    }
}
