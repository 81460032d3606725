using System.Globalization;
using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Several schedules, exclusions and jitter end to end: jobs created over HTTP run on the real engine, and their runs,
/// view and the preview agree. Every assertion is about which instants, never about how soon.
/// </summary>
public sealed class ScheduleSetSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    // Whole seconds from a moment just past, so the schedules below are due at once and keep coming.
    private static DateTimeOffset Start()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private Task<RunList> ScheduledRuns(string id, Func<IReadOnlyList<RunView>, bool> enough, string what) =>
        Api.Eventually(async () => await Api.Expect<RunList>(await Api.Get($"/api/v1/jobs/{id}/runs?limit=100"), HttpStatusCode.OK),
            runs => enough([.. runs.Items.Where(r => r.Trigger == RunTrigger.Schedule)]), what);

    [Fact]
    public async Task Should_run_occurrences_of_both_schedules_when_a_job_has_two()
    {
        var id = Api.NewId("union");
        var start = Start();
        await Api.CreateJob(id, $$"""
            "schedules": [ { "every": { "seconds": 2 }, "start": "{{Iso(start)}}" }, { "every": { "seconds": 3 }, "start": "{{Iso(start.AddMilliseconds(500))}}" } ]
            """);

        var runs = await ScheduledRuns(id, r => r.Any(x => x.ScheduledFor.Millisecond == 0) && r.Any(x => x.ScheduledFor.Millisecond == 500),
            "runs from the whole-second schedule and from the half-second one");

        Assert.All(runs.Items, r => Assert.True(
            (r.ScheduledFor.Millisecond == 0 && (r.ScheduledFor - start).Ticks % (2 * TimeSpan.TicksPerSecond) == 0) ||
            (r.ScheduledFor.Millisecond == 500 && (r.ScheduledFor - start.AddMilliseconds(500)).Ticks % (3 * TimeSpan.TicksPerSecond) == 0),
            $"{r.ScheduledFor:O} is an occurrence of neither schedule"));
        await Api.Delete($"/api/v1/jobs/{id}");
    }

    [Fact]
    public async Task Should_never_run_an_occurrence_in_an_excluded_second_when_excluded_by_cron()
    {
        var id = Api.NewId("exclude-cron");
        var start = Start();
        await Api.CreateJob(id, $$"""
            "schedule": { "every": { "seconds": 1 }, "start": "{{Iso(start)}}" }, "exclude": [ { "cron": "*/2 * * * * *" } ]
            """);

        var runs = await ScheduledRuns(id, r => r.Count >= 3, "three scheduled runs");

        Assert.All(runs.Items.Where(r => r.Trigger == RunTrigger.Schedule),
            r => Assert.True(r.ScheduledFor.Second % 2 == 1, $"{r.ScheduledFor:O} falls in an excluded (even) second"));
        await Api.Delete($"/api/v1/jobs/{id}");
    }

    [Fact]
    public async Task Should_plan_the_next_run_after_the_excluded_days_when_today_and_tomorrow_are_excluded()
    {
        var id = Api.NewId("exclude-dates");
        var start = Start();
        var today = DateOnly.FromDateTime(start.UtcDateTime);
        var schedule = $$"""{ "every": { "seconds": 1 }, "start": "{{Iso(start)}}" }""";
        var exclude = $$"""[ { "dates": [ "{{today:yyyy-MM-dd}}", "{{today.AddDays(1):yyyy-MM-dd}}" ], "timeZone": "UTC" } ]""";

        var view = await Api.CreateJob(id, $$""" "schedule": {{schedule}}, "exclude": {{exclude}} """);
        var preview = await Api.Expect<PreviewResult>(await Api.Post("/api/v1/schedules/preview",
            $$"""{ "schedule": {{schedule}}, "exclude": {{exclude}}, "count": 1 }"""), HttpStatusCode.OK);

        var dayAfter = new DateTimeOffset(today.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(dayAfter, view.NextDueAt);
        Assert.Equal([dayAfter], preview.Occurrences);
        Assert.Empty((await Api.Expect<RunList>(await Api.Get($"/api/v1/jobs/{id}/runs"), HttpStatusCode.OK)).Items);
        await Api.Delete($"/api/v1/jobs/{id}");
    }

    [Fact]
    public async Task Should_delay_runs_within_the_jitter_and_exactly_as_the_preview_says_when_jittered()
    {
        var id = Api.NewId("jitter");
        var start = Start();
        var schedule = $$"""{ "every": { "seconds": 2 }, "start": "{{Iso(start)}}" }""";
        await Api.CreateJob(id, $$""" "schedule": {{schedule}}, "jitter": "PT1S" """);

        var runs = await ScheduledRuns(id, r => r.Count >= 3, "three scheduled runs");
        var preview = await Api.Expect<PreviewResult>(await Api.Post("/api/v1/schedules/preview",
            $$"""{ "schedule": {{schedule}}, "jitter": "PT1S", "jobId": "{{id}}", "from": "{{Iso(start.AddTicks(-1))}}", "count": 1000 }"""), HttpStatusCode.OK);
        var again = await Api.Expect<PreviewResult>(await Api.Post("/api/v1/schedules/preview",
            $$"""{ "schedule": {{schedule}}, "jitter": "PT1S", "jobId": "{{id}}", "from": "{{Iso(start.AddTicks(-1))}}", "count": 1000 }"""), HttpStatusCode.OK);

        Assert.Equal(preview.Occurrences, again.Occurrences);
        foreach (var run in runs.Items.Where(r => r.Trigger == RunTrigger.Schedule))
        {
            var offset = run.ScheduledFor - start;
            var delay = TimeSpan.FromTicks(offset.Ticks % (2 * TimeSpan.TicksPerSecond));
            Assert.True(delay >= TimeSpan.Zero && delay < TimeSpan.FromSeconds(1), $"{run.ScheduledFor:O} is {delay} after its occurrence, not within the 1 s jitter");
            Assert.Contains(run.ScheduledFor, preview.Occurrences);
        }
        Assert.Contains(preview.Occurrences, o => (o - start).Ticks % TimeSpan.TicksPerSecond != 0);
        await Api.Delete($"/api/v1/jobs/{id}");
    }

    [Theory]
    [InlineData(""" "schedule": { "cron": "0 * * * *" }, "schedules": [ { "cron": "0 * * * *" } ] """, "schedules")]
    [InlineData(""" "schedules": [ ] """, "schedules")]
    [InlineData(""" "schedules": [ { "cron": "0 * * * *" } ], "exclude": [ { "dates": [ "2026-12-25" ], "cron": "0 0 * * *" } ] """, "exclude[0]")]
    [InlineData(""" "schedule": { "cron": "0 * * * *" }, "exclude": [ { "cron": "* * * * *" } ] """, "exclude")]
    [InlineData(""" "schedule": { "cron": "0 * * * *" }, "jitter": "P2D" """, "jitter")]
    [InlineData(""" "jitter": "PT30S" """, "jitter")]
    public async Task Should_answer_400_naming_the_field_when_schedule_fields_are_invalid(string extra, string field)
    {
        var id = Api.NewId("bad-schedules");

        await Api.ExpectProblem(await Api.Post("/api/v1/jobs", Api.Job(id, extra)), HttpStatusCode.BadRequest, field);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }
}
