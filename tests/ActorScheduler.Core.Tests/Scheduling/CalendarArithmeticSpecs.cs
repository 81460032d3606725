using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>
/// Month ends, leap days and combined units. Occurrence n is start + n·P computed from the start, so a clamped
/// month end (Jan 31 → Feb 28) does not drag the later occurrences back to the 28th.
/// </summary>
public sealed class CalendarArithmeticSpecs
{
    [Theory]
    [InlineData("UTC", """{"months":1}""", "2026-01-31T00:00:00Z", "2026-01-31T00:00:00Z, 2026-02-28T00:00:00Z, 2026-03-31T00:00:00Z, 2026-04-30T00:00:00Z, 2026-05-31T00:00:00Z")]
    [InlineData("UTC", """{"months":1}""", "2028-01-31T00:00:00Z", "2028-01-31T00:00:00Z, 2028-02-29T00:00:00Z, 2028-03-31T00:00:00Z, 2028-04-30T00:00:00Z, 2028-05-31T00:00:00Z")]
    [InlineData("UTC", """{"M":1}""", "2026-03-31T12:00:00Z", "2026-03-31T12:00:00Z, 2026-04-30T12:00:00Z, 2026-05-31T12:00:00Z, 2026-06-30T12:00:00Z")]
    [InlineData("UTC", """{"years":1}""", "2028-02-29T06:00:00Z", "2028-02-29T06:00:00Z, 2029-02-28T06:00:00Z, 2030-02-28T06:00:00Z, 2031-02-28T06:00:00Z, 2032-02-29T06:00:00Z")]
    [InlineData("UTC", """{"y":4}""", "2028-02-29T06:00:00Z", "2028-02-29T06:00:00Z, 2032-02-29T06:00:00Z, 2036-02-29T06:00:00Z")]
    [InlineData("UTC", """{"months":12}""", "2028-02-29T06:00:00Z", "2028-02-29T06:00:00Z, 2029-02-28T06:00:00Z, 2030-02-28T06:00:00Z")]
    // months first, then days: Jan 31 + 1 month = Feb 28, + 7 days = Mar 7; + 2 months = Mar 31, + 14 days = Apr 14
    [InlineData("UTC", """{"months":1,"days":7}""", "2026-01-31T00:00:00Z", "2026-01-31T00:00:00Z, 2026-03-07T00:00:00Z, 2026-04-14T00:00:00Z, 2026-05-21T00:00:00Z")]
    [InlineData("UTC", """{"M":1,"d":7}""", "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z, 2026-02-08T09:00:00Z, 2026-03-15T09:00:00Z, 2026-04-22T09:00:00Z")]
    // the calendar part is added in the zone: 09:00 local stays 09:00 across the March transition (CET → CEST)
    [InlineData("Europe/Amsterdam", """{"months":1}""", "2026-01-31T08:00:00Z", "2026-01-31T08:00:00Z, 2026-02-28T08:00:00Z, 2026-03-31T07:00:00Z, 2026-04-30T07:00:00Z")]
    // a day plus an hour: the day in the zone, the hour as elapsed time (n days and n hours)
    [InlineData("UTC", """{"days":1,"hours":1}""", "2026-02-27T22:00:00Z", "2026-02-27T22:00:00Z, 2026-02-28T23:00:00Z, 2026-03-02T00:00:00Z")]
    public void Should_land_on_the_pinned_dates_when_the_period_crosses_month_ends_and_leap_days(
        string zone, string every, string start, string expected)
    {
        var schedule = new RepeatSchedule(Utc(start), Period(every), Zone(zone));

        Equal(UtcList(expected), From(schedule, Utc(start), UtcList(expected).Length), $"every {every} in {zone} from {start}");
    }

    [Fact]
    public void Should_anchor_on_the_start_when_a_month_end_was_clamped()
    {
        var schedule = new RepeatSchedule(Utc("2026-01-31T00:00:00Z"), Period("""{"months":1}"""), Zone("UTC"));

        Assert.Equal(Utc("2026-02-28T00:00:00Z"), schedule.Occurrence(1));
        Assert.True(Utc("2026-03-31T00:00:00Z") == schedule.NextAfter(Utc("2026-02-28T00:00:00Z")),
            "the third occurrence is start + 2 months (Mar 31), not Feb 28 + 1 month (Mar 28)");
        Assert.Equal(Utc("2026-05-31T00:00:00Z"), schedule.Occurrence(4));
    }

    [Theory]
    [InlineData("""{"y":1}""", 1, 0, 0, 0, 0, 0, 0, 0)]
    [InlineData("""{"years":1}""", 1, 0, 0, 0, 0, 0, 0, 0)]
    [InlineData("""{"M":2}""", 0, 2, 0, 0, 0, 0, 0, 0)]
    [InlineData("""{"months":2}""", 0, 2, 0, 0, 0, 0, 0, 0)]
    [InlineData("""{"w":3}""", 0, 0, 3, 0, 0, 0, 0, 0)]
    [InlineData("""{"weeks":3}""", 0, 0, 3, 0, 0, 0, 0, 0)]
    [InlineData("""{"d":4}""", 0, 0, 0, 4, 0, 0, 0, 0)]
    [InlineData("""{"days":4}""", 0, 0, 0, 4, 0, 0, 0, 0)]
    [InlineData("""{"h":5}""", 0, 0, 0, 0, 5, 0, 0, 0)]
    [InlineData("""{"hours":5}""", 0, 0, 0, 0, 5, 0, 0, 0)]
    [InlineData("""{"m":6}""", 0, 0, 0, 0, 0, 6, 0, 0)]
    [InlineData("""{"minutes":6}""", 0, 0, 0, 0, 0, 6, 0, 0)]
    [InlineData("""{"s":7}""", 0, 0, 0, 0, 0, 0, 7, 0)]
    [InlineData("""{"seconds":7}""", 0, 0, 0, 0, 0, 0, 7, 0)]
    [InlineData("""{"ms":8}""", 0, 0, 0, 0, 0, 0, 0, 8)]
    [InlineData("""{"milliseconds":8}""", 0, 0, 0, 0, 0, 0, 0, 8)]
    [InlineData("""{"y":1,"M":2,"w":3,"d":4,"h":5,"m":6,"s":7,"ms":8}""", 1, 2, 3, 4, 5, 6, 7, 8)]
    [InlineData("""{"months":1,"d":7}""", 0, 1, 0, 7, 0, 0, 0, 0)]
    public void Should_read_each_unit_when_given_by_long_or_short_key(
        string json, long years, long months, long weeks, long days, long hours, long minutes, long seconds, long milliseconds)
    {
        var expected = new RepeatPeriod
        {
            Years = years, Months = months, Weeks = weeks, Days = days,
            Hours = hours, Minutes = minutes, Seconds = seconds, Milliseconds = milliseconds,
        };

        Assert.Equal(expected, Period(json));
    }

    [Theory]
    [InlineData("""{"M":1}""", "2026-02-28T00:00:00Z")]
    [InlineData("""{"m":1}""", "2026-01-31T00:01:00Z")]
    public void Should_tell_months_from_minutes_when_the_schedule_comes_through_json(string every, string expectedSecond)
    {
        var spec = CoreJson.Deserialize<ScheduleSpec>($$"""{"every":{{every}},"start":"2026-01-31T00:00:00Z"}""");

        var schedule = Schedule.Compile(spec, Utc("2020-01-01T00:00:00Z"));

        Assert.Equal(Utc(expectedSecond), schedule.NextAfter(Utc("2026-01-31T00:00:00Z")));
    }

    [Fact]
    public void Should_write_long_keys_and_leave_zero_units_out_when_serializing_a_period()
    {
        Assert.Equal("""{"months":1,"days":7}""", CoreJson.Serialize(Period("""{"M":1,"d":7,"h":0}""")));
    }

    [Theory]
    [InlineData("""{"D":1}""", "'D'")]
    [InlineData("""{"Y":1}""", "'Y'")]
    [InlineData("""{"H":1}""", "'H'")]
    [InlineData("""{"MS":1}""", "'MS'")]
    [InlineData("""{"minute":5}""", "'minute'")]
    [InlineData("""{"months":1,"fortnights":1}""", "'fortnights'")]
    [InlineData("""{"m":1,"minutes":2}""", "'minutes'")]
    [InlineData("""{"days":1.5}""", "'days'")]
    [InlineData("""{"days":"1"}""", "'days'")]
    public void Should_refuse_the_period_naming_the_key_when_a_unit_is_unknown_repeated_or_not_whole(string json, string named)
    {
        var error = Assert.Throws<JsonException>(() => Period(json));

        Assert.Contains(named, error.Message);
    }
}
