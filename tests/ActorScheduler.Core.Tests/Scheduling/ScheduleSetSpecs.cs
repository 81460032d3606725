using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>Several schedules as their union, exclusions by cron and by date in the job's zone, and the bounded search past them.</summary>
public sealed class ScheduleSetSpecs
{
    private static readonly DateTimeOffset Anchor = Utc("2026-12-20T00:00:00Z");

    private static DateTimeOffset[] Next(JobDefinition definition, string after, int count) =>
        [.. ScheduleSet.Compile(definition, Anchor)!.Occurrences(Utc(after), count)];

    [Fact]
    public void Should_give_the_union_of_several_schedules_once_each_when_schedules_coincide()
    {
        var definition = new JobDefinition
        {
            Schedules = [new() { Cron = "0 */2 * * *" }, new() { Cron = "0 */3 * * *" }],
        };

        Equal(UtcList("2026-12-20T02:00:00Z, 2026-12-20T03:00:00Z, 2026-12-20T04:00:00Z, 2026-12-20T06:00:00Z, 2026-12-20T08:00:00Z"),
            Next(definition, "2026-12-20T01:00:00Z", 5), "06:00 is in both schedules and is one occurrence");
    }

    [Fact]
    public void Should_drop_occurrences_on_excluded_dates_when_read_in_the_schedules_zone()
    {
        // 02:30 in Amsterdam is 01:30 UTC in winter; 2026-12-25 and 26 are excluded Amsterdam days.
        var definition = new JobDefinition
        {
            Schedule = new() { Cron = "0 30 2 * * *", TimeZone = "Europe/Amsterdam" },
            Exclude = [new() { Dates = [new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26)] }],
        };

        Equal(UtcList("2026-12-24T01:30:00Z, 2026-12-27T01:30:00Z"), Next(definition, "2026-12-23T12:00:00Z", 2),
            "the 25th and 26th are holidays in the schedule's own zone");
    }

    [Fact]
    public void Should_read_exclusions_in_UTC_when_the_schedules_zones_differ_and_in_their_own_zone_when_given()
    {
        var schedules = new List<ScheduleSpec> { new() { Cron = "0 23 * * *", TimeZone = "UTC" }, new() { Cron = "0 12 * * *", TimeZone = "Asia/Tokyo" } };
        var utcDay = new JobDefinition { Schedules = schedules, Exclude = [new() { Dates = [new DateOnly(2026, 12, 25)] }] };
        var tokyoDay = utcDay with { Exclude = [new() { Dates = [new DateOnly(2026, 12, 25)], TimeZone = "Asia/Tokyo" }] };

        // Tokyo noon is 03:00 UTC. The UTC 25th holds 03:00 and 23:00; the Tokyo 25th is 24th 15:00Z to 25th 15:00Z.
        Equal(UtcList("2026-12-24T03:00:00Z, 2026-12-24T23:00:00Z, 2026-12-26T03:00:00Z"), Next(utcDay, "2026-12-24T00:00:00Z", 3),
            "zones differ, so the date is a UTC day");
        Equal(UtcList("2026-12-24T03:00:00Z, 2026-12-25T23:00:00Z, 2026-12-26T03:00:00Z"), Next(tokyoDay, "2026-12-24T00:00:00Z", 3),
            "the exclusion's own zone wins");
    }

    [Theory]
    // weekends excluded from an every-minute schedule: Saturday 2026-12-26 and Sunday 27 are skipped whole
    [InlineData("* * * * 6,0", "2026-12-25T23:59:00Z", "2026-12-25T23:59:00Z, 2026-12-28T00:00:00Z")]
    // a 5-field exclusion covers the whole minute, so a seconds schedule loses all 60 seconds of 12:00
    [InlineData("0 12 * * *", "2026-12-21T11:59:59Z", "2026-12-21T11:59:59Z, 2026-12-21T12:01:00Z")]
    public void Should_skip_the_minutes_an_exclusion_cron_names_when_occurrences_fall_in_them(string exclude, string first, string expected)
    {
        var definition = new JobDefinition
        {
            Schedule = exclude.StartsWith('*') ? new() { Every = Period("""{ "minutes": 1 }"""), Start = Anchor } : new() { Cron = "* * * * * *" },
            Exclude = [new() { Cron = exclude }],
        };

        Equal(UtcList(expected), Next(definition, Utc(first).AddTicks(-1).ToString("O"), 2), $"exclude {exclude}");
    }

    [Fact]
    public void Should_give_up_and_say_why_when_every_occurrence_is_excluded()
    {
        var definition = new JobDefinition { Id = "x", Schedule = new() { Cron = "0 * * * *" }, Exclude = [new() { Cron = "* * * * *" }], Run = Shell };

        Assert.Null(ScheduleSet.Compile(definition, Anchor)!.NextAfter(Anchor));
        var (occurrences, note) = ScheduleSet.Preview(definition, Anchor, 5);
        Assert.Empty(occurrences);
        Assert.Equal(ExcludingSchedule.GaveUpReason, note);
        Assert.Contains(JobDefinitionValidator.Validate(definition), e => e.Field == "exclude" && e.Message.Contains("excludes every occurrence"));
    }

    [Fact]
    public void Should_refuse_schedule_and_schedules_together_and_exclusions_without_a_form()
    {
        var definition = new JobDefinition
        {
            Id = "x", Run = Shell,
            Schedule = new() { Cron = "0 * * * *" },
            Schedules = [new() { Cron = "0 * * * *" }, new() { Cron = "bad" }],
            Exclude = [new() { Cron = "0 * * * *", Dates = [new DateOnly(2026, 1, 1)] }, new() { Dates = [] }, new() { Cron = "0 0 * * *", TimeZone = "Mars/Base" }],
            Jitter = TimeSpan.FromDays(2),
        };

        var fields = JobDefinitionValidator.Validate(definition).Select(e => e.Field).ToList();

        Assert.Equal(["schedules", "schedules[1].cron", "exclude[0]", "exclude[1].dates", "exclude[2].timeZone", "jitter"], fields);
    }

    [Fact]
    public void Should_refuse_exclusions_and_jitter_when_the_job_has_no_schedule()
    {
        var definition = new JobDefinition { Id = "x", Run = Shell, Exclude = [new() { Dates = [new DateOnly(2026, 1, 1)] }], Jitter = TimeSpan.FromSeconds(30) };

        Assert.Equal(["exclude", "jitter"], JobDefinitionValidator.Validate(definition).Select(e => e.Field));
    }

    [Fact]
    public void Should_let_a_job_plan_run_from_schedules_alone()
    {
        var definition = new JobDefinition { Id = "x", Run = Shell, Schedules = [new() { Every = Period("""{ "hours": 5 }"""), Start = Anchor }, new() { At = Utc("2026-12-20T01:00:00Z") }] };

        Assert.Empty(JobDefinitionValidator.Validate(definition));
        var plan = new JobPlan(definition, Anchor);
        Assert.True(plan.HasSchedule);
        Assert.Equal(Utc("2026-12-20T01:00:00Z"), plan.NextAfter(Anchor, 0));
        Assert.Equal(3, plan.Range(Utc("2026-12-20T01:00:00Z"), Utc("2026-12-20T10:00:00Z")).Count);
    }

    private static readonly RunSpec Shell = new() { Shell = new() { Command = ["true"] } };
}
