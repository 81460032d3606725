using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>
/// <c>every</c> across the 2026 transitions (dates as in <see cref="CronDstSpecs"/>). Calendar units keep the
/// wall-clock time: a local time in a gap moves forward by the gap's length (02:30 → 03:30), an ambiguous one
/// means its first, daylight, occurrence. Elapsed units (hours and smaller) keep their spacing in UTC.
/// </summary>
public sealed class RepeatDstSpecs
{
    [Theory]
    // Amsterdam 02:30 daily: 02:30 CET; 29 March has no 02:30, so 03:30 CEST (= 01:30Z); then 02:30 CEST
    [InlineData("Europe/Amsterdam", """{"days":1}""", "2026-03-28T01:30:00Z", "2026-03-28T01:30:00Z, 2026-03-29T01:30:00Z, 2026-03-30T00:30:00Z")]
    // Amsterdam 02:30 daily: 25 October has two; the first (CEST, 00:30Z) counts, then 02:30 CET
    [InlineData("Europe/Amsterdam", """{"days":1}""", "2026-10-24T00:30:00Z", "2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z")]
    // New York 02:30 daily: 02:30 EST; 8 March → 03:30 EDT (07:30Z); then 02:30 EDT
    [InlineData("America/New_York", """{"days":1}""", "2026-03-07T07:30:00Z", "2026-03-07T07:30:00Z, 2026-03-08T07:30:00Z, 2026-03-09T06:30:00Z")]
    // New York 01:30 daily: 1 November has two; the first (EDT, 05:30Z) counts, then 01:30 EST
    [InlineData("America/New_York", """{"days":1}""", "2026-10-31T05:30:00Z", "2026-10-31T05:30:00Z, 2026-11-01T05:30:00Z, 2026-11-02T06:30:00Z")]
    // a week is a calendar unit too: Saturday 02:30 CET, then Saturday 02:30 CEST
    [InlineData("Europe/Amsterdam", """{"w":1}""", "2026-03-28T01:30:00Z", "2026-03-28T01:30:00Z, 2026-04-04T00:30:00Z")]
    // Lord Howe springs forward by 30 minutes on 4 October (02:00 +10:30 → 02:30 +11): 02:15 moves to 02:45
    [InlineData("Australia/Lord_Howe", """{"days":1}""", "2026-10-02T15:45:00Z", "2026-10-02T15:45:00Z, 2026-10-03T15:45:00Z, 2026-10-04T15:15:00Z")]
    // 24 hours is elapsed time, not a day: it keeps its UTC spacing and drifts to 03:30 local for good
    [InlineData("Europe/Amsterdam", """{"hours":24}""", "2026-03-28T01:30:00Z", "2026-03-28T01:30:00Z, 2026-03-29T01:30:00Z, 2026-03-30T01:30:00Z")]
    // every {hours:1} across each transition: exactly one hour apart in UTC
    [InlineData("Europe/Amsterdam", """{"hours":1}""", "2026-03-28T23:30:00Z", "2026-03-28T23:30:00Z, 2026-03-29T00:30:00Z, 2026-03-29T01:30:00Z, 2026-03-29T02:30:00Z")]
    [InlineData("Europe/Amsterdam", """{"hours":1}""", "2026-10-24T23:30:00Z", "2026-10-24T23:30:00Z, 2026-10-25T00:30:00Z, 2026-10-25T01:30:00Z, 2026-10-25T02:30:00Z")]
    [InlineData("America/New_York", """{"h":1}""", "2026-03-08T05:30:00Z", "2026-03-08T05:30:00Z, 2026-03-08T06:30:00Z, 2026-03-08T07:30:00Z, 2026-03-08T08:30:00Z")]
    [InlineData("America/New_York", """{"h":1}""", "2026-11-01T04:30:00Z", "2026-11-01T04:30:00Z, 2026-11-01T05:30:00Z, 2026-11-01T06:30:00Z, 2026-11-01T07:30:00Z")]
    public void Should_repeat_at_the_pinned_utc_instants_when_every_crosses_a_dst_transition(
        string zone, string every, string start, string expected)
    {
        var schedule = new RepeatSchedule(Utc(start), Period(every), Zone(zone));

        Equal(UtcList(expected), From(schedule, Utc(start), UtcList(expected).Length), $"every {every} in {zone} from {start}");
    }

    [Theory]
    [InlineData("Europe/Amsterdam", "2026-03-28T20:00:00Z")]
    [InlineData("Europe/Amsterdam", "2026-10-24T20:00:00Z")]
    [InlineData("America/New_York", "2026-03-08T01:00:00Z")]
    [InlineData("America/New_York", "2026-11-01T01:00:00Z")]
    public void Should_stay_exactly_one_hour_apart_in_utc_when_every_hour_crosses_a_transition(string zone, string start)
    {
        var schedule = new RepeatSchedule(Utc(start), Period("""{"hours":1}"""), Zone(zone));

        var occurrences = From(schedule, Utc(start), 12);

        Assert.All(occurrences.Select((o, n) => (o, n)), p => Assert.Equal(Utc(start).AddHours(p.n), p.o));
    }

    [Fact]
    public void Should_keep_the_start_as_occurrence_zero_when_the_start_is_in_the_repeated_hour()
    {
        // 01:30Z on 25 October is 02:30 CET, the second pass of 02:30 in Amsterdam. The start is an instant, not
        // a wall time, so it stays the first occurrence even though "02:30" alone would mean 00:30Z.
        var start = Utc("2026-10-25T01:30:00Z");
        var schedule = new RepeatSchedule(start, Period("""{"days":1}"""), Zone("Europe/Amsterdam"));

        Assert.Equal(start, schedule.Occurrence(0));
        Assert.Equal(start, schedule.NextAfter(start.AddTicks(-1)));
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), schedule.NextAfter(start));
    }
}
