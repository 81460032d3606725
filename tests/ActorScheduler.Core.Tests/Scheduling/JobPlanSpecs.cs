using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>A schedule bounded by the window [start, stop) and by maxRuns; once-only schedules.</summary>
public sealed class JobPlanSpecs
{
    private static readonly DateTimeOffset Anchor = Utc("2026-01-01T00:00:00Z");
    private static readonly ScheduleSpec Hourly = new() { Cron = "0 * * * *" };

    private static JobPlan Plan(ScheduleSpec? schedule, string? windowStart = null, string? windowStop = null, int? maxRuns = null) =>
        new(new JobDefinition
        {
            Id = "plan",
            Schedule = schedule,
            Window = windowStart is null && windowStop is null
                ? null
                : new WindowSpec { Start = windowStart is null ? null : Utc(windowStart), Stop = windowStop is null ? null : Utc(windowStop) },
            MaxRuns = maxRuns,
        }, Anchor);

    [Theory]
    [InlineData("2026-01-01T10:30:00Z", "2026-01-01T08:00:00Z", "2026-01-01T11:00:00Z")]
    [InlineData("2026-01-01T10:30:00Z", "2025-06-01T00:00:00Z", "2026-01-01T11:00:00Z")]
    // window.start is inclusive: an occurrence exactly on it runs
    [InlineData("2026-01-01T10:00:00Z", "2026-01-01T08:00:00Z", "2026-01-01T10:00:00Z")]
    [InlineData("2026-01-01T10:00:00Z", "2026-01-01T09:59:59.9999999Z", "2026-01-01T10:00:00Z")]
    // past the window start the plain schedule applies
    [InlineData("2026-01-01T10:00:00Z", "2026-01-01T12:00:00Z", "2026-01-01T13:00:00Z")]
    // a window open since the beginning of the calendar
    [InlineData("0001-01-01T00:00:00Z", "2026-01-01T12:00:00Z", "2026-01-01T13:00:00Z")]
    public void Should_have_no_occurrence_before_the_window_start_when_asked_from_earlier(string windowStart, string after, string expected)
    {
        var plan = Plan(Hourly, windowStart: windowStart);

        Assert.Equal(Utc(expected), plan.NextAfter(Utc(after), runCount: 0));
    }

    [Theory]
    [InlineData("2026-01-01T12:00:00Z", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z")]
    // window.stop is exclusive: the occurrence at 12:00 ends the plan
    [InlineData("2026-01-01T12:00:00Z", "2026-01-01T11:00:00Z", null)]
    [InlineData("2026-01-01T12:00:00Z", "2026-01-01T13:00:00Z", null)]
    [InlineData("2026-01-01T12:00:00.0000001Z", "2026-01-01T11:00:00Z", "2026-01-01T12:00:00Z")]
    public void Should_end_the_plan_when_the_next_occurrence_is_at_or_after_the_window_stop(string windowStop, string after, string? expected)
    {
        var plan = Plan(Hourly, windowStop: windowStop);

        Assert.Equal(expected is null ? null : Utc(expected), plan.NextAfter(Utc(after), runCount: 0));
    }

    [Theory]
    [InlineData(0, "2026-01-01T11:00:00Z")]
    [InlineData(2, "2026-01-01T11:00:00Z")]
    [InlineData(3, null)]
    [InlineData(4, null)]
    public void Should_have_no_next_occurrence_when_max_runs_is_reached(int runCount, string? expected)
    {
        var plan = Plan(Hourly, maxRuns: 3);

        Assert.Equal(expected is null ? null : Utc(expected), plan.NextAfter(Utc("2026-01-01T10:00:00Z"), runCount));
        Assert.Equal(runCount >= 3, plan.RunLimitReached(runCount));
    }

    [Fact]
    public void Should_never_reach_a_run_limit_when_max_runs_is_absent()
    {
        Assert.False(Plan(Hourly).RunLimitReached(int.MaxValue));
    }

    [Fact]
    public void Should_have_no_occurrences_when_the_job_has_no_schedule()
    {
        var plan = Plan(null);

        Assert.False(plan.HasSchedule);
        Assert.Null(plan.NextAfter(Anchor, 0));
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2026-03-01T12:00:00Z")]
    [InlineData("2026-03-01T11:59:59.9999999Z", "2026-03-01T12:00:00Z")]
    [InlineData("2026-03-01T12:00:00Z", null)]
    [InlineData("2027-01-01T00:00:00Z", null)]
    public void Should_occur_once_at_the_given_time_when_the_schedule_is_at(string after, string? expected)
    {
        var plan = Plan(new ScheduleSpec { At = Utc("2026-03-01T12:00:00Z") });

        Assert.Equal(expected is null ? null : Utc(expected), plan.NextAfter(Utc(after), 0));
    }

    [Fact]
    public void Should_occur_once_after_the_anchor_when_the_schedule_is_after()
    {
        var plan = Plan(new ScheduleSpec { After = TimeSpan.FromSeconds(30) });

        Assert.Equal(Anchor.AddSeconds(30), plan.NextAfter(Anchor, 0));
        Assert.Null(plan.NextAfter(Anchor.AddSeconds(30), 1));
    }

    [Fact]
    public void Should_start_at_the_anchor_when_every_has_no_start()
    {
        var plan = Plan(new ScheduleSpec { Every = new RepeatPeriod { Minutes = 5 } });

        Assert.Equal(Anchor, plan.NextAfter(Anchor.AddTicks(-1), 0));
        Assert.Equal(Anchor.AddMinutes(5), plan.NextAfter(Anchor, 1));
    }

    [Theory]
    [InlineData(null, 100_000, "2026-01-01T13:00:00Z", 4, false)]
    [InlineData("2026-01-01T12:00:00Z", 100_000, "2026-01-01T11:00:00Z", 2, false)]
    [InlineData(null, 3, "2026-01-01T12:00:00Z", 3, true)]
    // capped at 3, and the 4th would be at the window stop: nothing more follows, so not "at least"
    [InlineData("2026-01-01T13:00:00Z", 3, "2026-01-01T12:00:00Z", 3, false)]
    [InlineData(null, 4, "2026-01-01T13:00:00Z", 4, false)]
    public void Should_count_the_occurrences_in_a_range_when_bounded_by_the_window_and_the_cap(
        string? windowStop, int cap, string expectedLast, int expectedCount, bool expectedAtLeast)
    {
        var plan = Plan(Hourly, windowStop: windowStop);

        var range = plan.Range(Utc("2026-01-01T10:00:00Z"), Utc("2026-01-01T13:30:00Z"), cap);

        Assert.Equal(new OccurrenceRange(Utc("2026-01-01T10:00:00Z"), Utc(expectedLast), expectedCount, expectedAtLeast), range);
    }

    [Fact]
    public void Should_be_empty_when_the_range_ends_before_it_starts()
    {
        Assert.True(Plan(Hourly).Range(Utc("2026-01-01T10:00:00Z"), Utc("2026-01-01T09:00:00Z")).IsEmpty);
    }
}
