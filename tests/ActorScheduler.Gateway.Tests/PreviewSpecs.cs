using System.Net;

namespace ActorScheduler.Gateway.Tests;

public sealed class PreviewSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private async Task<IReadOnlyList<DateTimeOffset>> Preview(string body) =>
        (await Api.Expect<PreviewResult>(await Api.Post("/api/v1/schedules/preview", body), HttpStatusCode.OK)).Occurrences;

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Should_list_cron_occurrences_in_the_given_time_zone_when_previewing()
    {
        const string cron = """ "cron": "0 30 2 * * *", "timeZone": "Europe/Amsterdam" """;

        var winter = await Preview($$"""{ "schedule": { {{cron}} }, "from": "2026-01-10T00:00:00Z", "count": 2 }""");
        var summer = await Preview($$"""{ "schedule": { {{cron}} }, "from": "2026-07-10T00:00:00Z", "count": 2 }""");

        Assert.Equal([Utc("2026-01-10T01:30:00Z"), Utc("2026-01-11T01:30:00Z")], winter);
        Assert.Equal([Utc("2026-07-10T00:30:00Z"), Utc("2026-07-11T00:30:00Z")], summer);
    }

    [Fact]
    public async Task Should_list_every_occurrences_from_the_start_when_previewing()
    {
        var started = await Preview("""
            { "schedule": { "every": { "hours": 6 }, "start": "2026-01-01T00:00:00Z" }, "from": "2026-01-01T00:00:00Z", "count": 3 }
            """);
        var anchored = await Preview("""{ "schedule": { "every": { "h": 6 } }, "from": "2026-01-01T00:00:00Z" }""");

        Assert.Equal([Utc("2026-01-01T06:00:00Z"), Utc("2026-01-01T12:00:00Z"), Utc("2026-01-01T18:00:00Z")], started);
        Assert.Equal(10, anchored.Count);
        Assert.Equal(Utc("2026-01-01T06:00:00Z"), anchored[0]);
    }

    [Fact]
    public async Task Should_list_nothing_when_a_one_off_time_is_before_from()
    {
        var none = await Preview("""{ "schedule": { "at": "2020-01-01T00:00:00Z" }, "from": "2026-01-01T00:00:00Z" }""");

        Assert.Empty(none);
    }

    [Fact]
    public async Task Should_stop_at_the_end_of_the_calendar_when_occurrences_run_past_it()
    {
        var last = await Preview("""{ "schedule": { "every": { "days": 1 } }, "from": "9999-12-29T00:00:00Z", "count": 5 }""");

        Assert.Equal([Utc("9999-12-30T00:00:00Z"), Utc("9999-12-31T00:00:00Z")], last);
    }

    [Theory]
    [InlineData("""{ "schedule": { "cron": "61 * * * *" } }""", "schedule.cron")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *", "timeZone": "Mars/Olympus" } }""", "schedule.timeZone")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *", "at": "2026-01-01T00:00:00Z" } }""", "schedule")]
    [InlineData("""{ "schedule": { "every": { "minutes": 0 } } }""", "schedule.every")]
    [InlineData("""{ "schedule": { "every": { "fortnights": 1 } } }""", "schedule.every")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *", "bar": 1 } }""", "schedule.bar")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *" }, "count": 0 }""", "count")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *" }, "count": 1001 }""", "count")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *" }, "count": "ten" }""", "count")]
    [InlineData("""{ "schedule": { "cron": "0 * * * *" }, "from": "tomorrow" }""", "from")]
    [InlineData("""{ "from": "2026-01-01T00:00:00Z" }""", "schedule")]
    [InlineData("", "body")]
    public async Task Should_answer_400_naming_the_field_when_the_preview_is_invalid(string body, string field)
    {
        var response = await Api.Post("/api/v1/schedules/preview", body);

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, field);
    }
}
