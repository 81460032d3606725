using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>The wall-time → instant rules every schedule shares (2026 transition dates as in <see cref="CronDstSpecs"/>).</summary>
public sealed class ZonedTimeSpecs
{
    [Theory]
    // gap: forward by the gap's length
    [InlineData("Europe/Amsterdam", 2026, 3, 29, 2, 0, "2026-03-29T01:00:00Z")]
    [InlineData("Europe/Amsterdam", 2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z")]
    [InlineData("Europe/Amsterdam", 2026, 3, 29, 2, 59, "2026-03-29T01:59:00Z")]
    [InlineData("America/New_York", 2026, 3, 8, 2, 30, "2026-03-08T07:30:00Z")]
    [InlineData("Australia/Lord_Howe", 2026, 10, 4, 2, 15, "2026-10-03T15:45:00Z")]
    // either side of the gap: the offset in force
    [InlineData("Europe/Amsterdam", 2026, 3, 29, 1, 59, "2026-03-29T00:59:00Z")]
    [InlineData("Europe/Amsterdam", 2026, 3, 29, 3, 0, "2026-03-29T01:00:00Z")]
    // ambiguous: the first pass, with the daylight offset
    [InlineData("Europe/Amsterdam", 2026, 10, 25, 2, 0, "2026-10-25T00:00:00Z")]
    [InlineData("Europe/Amsterdam", 2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z")]
    [InlineData("America/New_York", 2026, 11, 1, 1, 30, "2026-11-01T05:30:00Z")]
    [InlineData("Australia/Lord_Howe", 2026, 4, 5, 1, 45, "2026-04-04T14:45:00Z")]
    // either side of the repeated hour
    [InlineData("Europe/Amsterdam", 2026, 10, 25, 3, 0, "2026-10-25T02:00:00Z")]
    [InlineData("America/New_York", 2026, 11, 1, 0, 59, "2026-11-01T04:59:00Z")]
    [InlineData("UTC", 2026, 3, 29, 2, 30, "2026-03-29T02:30:00Z")]
    public void Should_map_a_wall_time_to_the_pinned_instant_when_it_is_near_a_transition(
        string zone, int year, int month, int day, int hour, int minute, string expected)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);

        Assert.Equal(Utc(expected), ZonedTime.ToInstant(local, Zone(zone)));
    }

    [Fact]
    public void Should_read_no_zone_as_utc_when_the_id_is_missing()
    {
        Assert.Same(TimeZoneInfo.Utc, ZonedTime.FindZone(null));
        Assert.False(ZonedTime.TryFindZone("Mars/Olympus_Mons", out _));
    }
}
