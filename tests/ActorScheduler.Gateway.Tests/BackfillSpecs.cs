using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>POST /api/v1/jobs/{id}/backfill over a real socket: a past range of the schedule runs with trigger backfill.</summary>
public sealed class BackfillSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private static DateTimeOffset HourAgoOnTheMinute()
    {
        var past = DateTimeOffset.UtcNow.AddHours(-1);
        return new DateTimeOffset(past.Year, past.Month, past.Day, past.Hour, past.Minute, 0, TimeSpan.Zero);
    }

    private static string Range(DateTimeOffset from, DateTimeOffset to, string extra = "") =>
        $$"""{ "from": "{{from:O}}", "to": "{{to:O}}"{{extra}} }""";

    [Fact]
    public async Task Should_run_each_past_occurrence_with_trigger_backfill_when_backfilling_a_five_minute_range()
    {
        var id = Api.NewId("backfill");
        await Api.CreateJob(id, """ "schedule": { "cron": "* * * * *" } """);
        var from = HourAgoOnTheMinute();

        var response = await Api.Post($"/api/v1/jobs/{id}/backfill", Range(from, from.AddMinutes(5)));

        var queued = await Api.Expect<BackfillAccepted>(response, HttpStatusCode.Accepted);
        Assert.Equal((5, from, from.AddMinutes(4)), (queued.Count, queued.First, queued.Last));
        var runs = await Api.Eventually(
            async () => await Api.Expect<RunList>(await Api.Get($"/api/v1/runs?jobId={id}&trigger=backfill"), HttpStatusCode.OK),
            list => list.Items.Count == 5 && list.Items.All(r => r.Status == RunStatus.Succeeded), "five succeeded backfill runs");
        Assert.Equal(Enumerable.Range(0, 5).Select(m => from.AddMinutes(4 - m)), runs.Items.Select(r => r.ScheduledFor));
        Assert.All(runs.Items, r => Assert.Equal(RunTrigger.Backfill, r.Trigger));
        var history = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);
        Assert.Contains(history.Items, e => e.Type == "catch-up-queued" && e.Data?.GetProperty("trigger").GetString() == "backfill");
    }

    [Fact]
    public async Task Should_answer_400_naming_the_count_when_the_range_holds_more_than_maxCatchUp()
    {
        var id = Api.NewId("backfill-big");
        await Api.CreateJob(id, """ "schedule": { "cron": "* * * * *" }, "misfire": { "policy": "fireAll", "maxCatchUp": 10 } """);
        var from = HourAgoOnTheMinute();

        var detail = await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{id}/backfill", Range(from, from.AddMinutes(30))), HttpStatusCode.BadRequest, "30 occurrences");

        Assert.Contains("maxCatchUp", detail);
        Assert.Equal(0, (await Api.GetJob(id)).RunCount);
    }

    [Fact]
    public async Task Should_answer_400_when_the_range_reaches_into_the_future_or_is_missing_a_bound()
    {
        var id = Api.NewId("backfill-bad");
        await Api.CreateJob(id, """ "schedule": { "cron": "* * * * *" } """);
        var path = $"/api/v1/jobs/{id}/backfill";

        await Api.ExpectProblem(await Api.Post(path, Range(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1))), HttpStatusCode.BadRequest, "to");
        await Api.ExpectProblem(await Api.Post(path, """{ "from": "2026-01-01T00:00:00Z" }"""), HttpStatusCode.BadRequest, "to");
        await Api.ExpectProblem(await Api.Post(path, Range(HourAgoOnTheMinute(), HourAgoOnTheMinute().AddMinutes(1), """, "overlap": "replace" """)), HttpStatusCode.BadRequest, "overlap");
        await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{Api.NewId("none")}/backfill", Range(HourAgoOnTheMinute(), HourAgoOnTheMinute().AddMinutes(1))), HttpStatusCode.NotFound);
    }
}
