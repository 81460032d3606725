using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>
/// Cron across the 2026 DST transitions, with the expected instants worked out by hand:
/// Europe/Amsterdam springs forward on Sun 29 March at 01:00Z (02:00 CET → 03:00 CEST) and falls back on
/// Sun 25 October at 01:00Z (03:00 CEST → 02:00 CET, so 02:00–02:59 happens twice); America/New_York springs
/// forward on Sun 8 March at 07:00Z (02:00 EST → 03:00 EDT) and falls back on Sun 1 November at 06:00Z
/// (02:00 EDT → 01:00 EST, so 01:00–01:59 happens twice). Cron follows Cronos: a time in the gap fires once at
/// the gap's end; on fall-back day an expression with only fixed seconds, minutes and hours fires in the first
/// pass only, while a wildcard, step or range in any of those fields fires in both passes.
/// </summary>
public sealed class CronDstSpecs
{
    [Theory]
    // Amsterdam, spring forward: 02:30 does not exist on 29 March and fires at the gap's end, 03:00 CEST.
    [InlineData("Europe/Amsterdam", "0 30 2 * * *", "2026-03-27T12:00:00Z", "2026-03-28T01:30:00Z, 2026-03-29T01:00:00Z, 2026-03-30T00:30:00Z")]
    [InlineData("Europe/Amsterdam", "30 2 * * *", "2026-03-27T12:00:00Z", "2026-03-28T01:30:00Z, 2026-03-29T01:00:00Z, 2026-03-30T00:30:00Z")]
    [InlineData("Europe/Amsterdam", "0 0 2 * * *", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z, 2026-03-30T00:00:00Z")]
    // hourly: 01:00 CET, then the 02:00 slot at 03:00 CEST, then 04:00 CEST; one per UTC hour, none doubled
    [InlineData("Europe/Amsterdam", "0 0 * * * *", "2026-03-28T23:30:00Z", "2026-03-29T00:00:00Z, 2026-03-29T01:00:00Z, 2026-03-29T02:00:00Z")]
    // every 15 min: the four 02:xx slots collapse into one firing at 03:00 CEST
    [InlineData("Europe/Amsterdam", "0 */15 * * * *", "2026-03-29T00:20:00Z", "2026-03-29T00:30:00Z, 2026-03-29T00:45:00Z, 2026-03-29T01:00:00Z, 2026-03-29T01:15:00Z")]
    // Amsterdam, fall back: a fixed 02:30 fires once, in the first (CEST) pass
    [InlineData("Europe/Amsterdam", "0 30 2 * * *", "2026-10-23T12:00:00Z", "2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z")]
    [InlineData("Europe/Amsterdam", "0 15,45 2 * * *", "2026-10-24T12:00:00Z", "2026-10-25T00:15:00Z, 2026-10-25T00:45:00Z, 2026-10-26T01:15:00Z")]
    // hourly fires in both passes of 02:00 (CEST at 00:00Z, CET at 01:00Z)
    [InlineData("Europe/Amsterdam", "0 0 * * * *", "2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z, 2026-10-25T01:00:00Z, 2026-10-25T02:00:00Z")]
    [InlineData("Europe/Amsterdam", "0 */15 * * * *", "2026-10-25T00:40:00Z", "2026-10-25T00:45:00Z, 2026-10-25T01:00:00Z, 2026-10-25T01:15:00Z")]
    // a step in the minute field is an interval too, even with a fixed hour: both passes of 02:xx fire
    [InlineData("Europe/Amsterdam", "0 */30 2 * * *", "2026-10-24T12:00:00Z", "2026-10-25T00:00:00Z, 2026-10-25T00:30:00Z, 2026-10-25T01:00:00Z, 2026-10-25T01:30:00Z, 2026-10-26T01:00:00Z")]
    // so is a range in the hour field
    [InlineData("Europe/Amsterdam", "0 0 2-3 * * *", "2026-10-24T12:00:00Z", "2026-10-25T00:00:00Z, 2026-10-25T01:00:00Z, 2026-10-25T02:00:00Z, 2026-10-26T01:00:00Z")]
    // New York, spring forward: 02:30 EST would be 07:30Z; it fires at the gap's end, 03:00 EDT = 07:00Z
    [InlineData("America/New_York", "0 30 2 * * *", "2026-03-06T12:00:00Z", "2026-03-07T07:30:00Z, 2026-03-08T07:00:00Z, 2026-03-09T06:30:00Z")]
    [InlineData("America/New_York", "0 0 * * * *", "2026-03-08T05:30:00Z", "2026-03-08T06:00:00Z, 2026-03-08T07:00:00Z, 2026-03-08T08:00:00Z")]
    [InlineData("America/New_York", "0 */15 * * * *", "2026-03-08T06:20:00Z", "2026-03-08T06:30:00Z, 2026-03-08T06:45:00Z, 2026-03-08T07:00:00Z, 2026-03-08T07:15:00Z")]
    // New York, fall back: fixed 01:30 fires once, at 01:30 EDT = 05:30Z (not again at 06:30Z)
    [InlineData("America/New_York", "0 30 1 * * *", "2026-10-30T12:00:00Z", "2026-10-31T05:30:00Z, 2026-11-01T05:30:00Z, 2026-11-02T06:30:00Z")]
    [InlineData("America/New_York", "30 1 * * *", "2026-10-30T12:00:00Z", "2026-10-31T05:30:00Z, 2026-11-01T05:30:00Z, 2026-11-02T06:30:00Z")]
    [InlineData("America/New_York", "0 0 * * * *", "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z, 2026-11-01T06:00:00Z, 2026-11-01T07:00:00Z")]
    [InlineData("America/New_York", "0 */15 * * * *", "2026-11-01T05:40:00Z", "2026-11-01T05:45:00Z, 2026-11-01T06:00:00Z, 2026-11-01T06:15:00Z")]
    public void Should_fire_at_the_pinned_utc_instants_when_a_cron_crosses_a_dst_transition(
        string zone, string cron, string after, string expected)
    {
        var schedule = CronSchedule.Parse(cron, Zone(zone));

        var occurrences = schedule.Occurrences(Utc(after), UtcList(expected).Length);

        Equal(UtcList(expected), occurrences, $"'{cron}' in {zone} after {after}");
    }

    [Theory]
    [InlineData("Europe/Amsterdam", "2026-03-29T00:00:00Z")]
    [InlineData("Europe/Amsterdam", "2026-10-25T00:00:00Z")]
    [InlineData("America/New_York", "2026-03-08T06:00:00Z")]
    [InlineData("America/New_York", "2026-11-01T05:00:00Z")]
    public void Should_stay_fifteen_minutes_apart_in_utc_when_an_every_15_minute_cron_crosses_a_transition(string zone, string after)
    {
        var schedule = CronSchedule.Parse("*/15 * * * *", Zone(zone));

        var occurrences = schedule.Occurrences(Utc(after), 12).ToArray();

        // Local slots in a gap collapse into the gap's end, which is itself a quarter hour, and the repeated hour
        // fires twice, so in UTC the series never skips or doubles.
        Assert.All(occurrences.Zip(occurrences.Skip(1)), pair =>
            Assert.True(pair.Second - pair.First == TimeSpan.FromMinutes(15), $"{pair.First:O} → {pair.Second:O}"));
    }

    [Fact]
    public void Should_evaluate_in_utc_when_no_zone_is_given()
    {
        var schedule = Schedule.Compile(new() { Cron = "0 30 2 * * *" }, Utc("2026-01-01T00:00:00Z"));

        Assert.Equal(Utc("2026-03-29T02:30:00Z"), schedule.NextAfter(Utc("2026-03-29T00:00:00Z")));
    }

    [Fact]
    public void Should_return_the_first_occurrence_strictly_after_t_when_t_is_itself_an_occurrence()
    {
        var schedule = CronSchedule.Parse("0 0 * * * *", Zone("UTC"));

        Assert.Equal(Utc("2026-01-01T11:00:00Z"), schedule.NextAfter(Utc("2026-01-01T10:00:00Z")));
    }

    [Fact]
    public void Should_have_no_occurrence_when_the_cron_names_a_date_that_never_exists()
    {
        var schedule = CronSchedule.Parse("0 0 30 2 *", Zone("UTC"));

        Assert.Null(schedule.NextAfter(Utc("2026-01-01T00:00:00Z")));
    }
}
