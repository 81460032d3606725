using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>
/// Laws every schedule obeys, over generated repeats, crons, decays and once-schedules in zones with DST
/// (including Lord Howe's 30-minute shift and Kathmandu's +05:45). Values stay in ranges where the maths is fast.
/// </summary>
public sealed class SchedulePropertySpecs
{
    [Property(Arbitrary = [typeof(ScheduleArbitraries)])]
    public void Should_return_a_later_instant_when_next_after_t_exists(ScheduleProbe probe)
    {
        if (probe.Schedule.NextAfter(probe.T1) is { } next)
            Assert.True(next > probe.T1, $"{probe}: NextAfter gave {next:O}");
    }

    [Property(Arbitrary = [typeof(ScheduleArbitraries)])]
    public void Should_never_go_backwards_when_asked_from_a_later_t(ScheduleProbe probe)
    {
        var (early, late) = probe.T1 <= probe.T2 ? (probe.T1, probe.T2) : (probe.T2, probe.T1);
        var (nextEarly, nextLate) = (probe.Schedule.NextAfter(early), probe.Schedule.NextAfter(late));

        // null means "no more occurrences", i.e. later than every instant
        if (nextEarly is null)
            Assert.True(nextLate is null, $"{probe}: none after {early:O} but {nextLate:O} after {late:O}");
        else if (nextLate is not null)
            Assert.True(nextEarly <= nextLate, $"{probe}: {nextEarly:O} after {early:O} but {nextLate:O} after {late:O}");
    }

    [Property(Arbitrary = [typeof(ScheduleArbitraries)])]
    public void Should_skip_nothing_when_asked_from_just_before_the_next_occurrence(ScheduleProbe probe)
    {
        if (probe.Schedule.NextAfter(probe.T1) is not { } next)
            return;

        var middle = probe.T1 + (next - probe.T1) / 2;
        Assert.True(next == probe.Schedule.NextAfter(next.AddTicks(-1)), $"{probe}: next after {probe.T1:O} is {next:O}, but not from just before it");
        Assert.True(next == probe.Schedule.NextAfter(middle), $"{probe}: next after {probe.T1:O} is {next:O}, but not from {middle:O}");
    }

    [Property(Arbitrary = [typeof(ScheduleArbitraries)], MaxTest = 60)]
    public void Should_list_strictly_increasing_occurrences_when_asked_for_several(ScheduleProbe probe)
    {
        var occurrences = probe.Schedule.Occurrences(probe.T1, 25).ToArray();

        Assert.All(occurrences.Prepend(probe.T1).Zip(occurrences), pair =>
            Assert.True(pair.First < pair.Second, $"{probe}: {pair.First:O} then {pair.Second:O}"));
    }
}

/// <summary>A generated schedule and two instants around its start; the description names the case on failure.</summary>
public sealed record ScheduleProbe(string Description, Schedule Schedule, DateTimeOffset T1, DateTimeOffset T2)
{
    public override string ToString() => $"{Description}, t1 {T1:O}, t2 {T2:O}";
}

public static class ScheduleArbitraries
{
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Zones =
        ["UTC", "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];

    private static readonly string[] Crons =
    [
        "*/15 * * * *", "0 30 2 * * *", "0 0 * * * *", "30 1 * * *", "0 0 1 * *", "0 0 29 2 *",
        "0 */30 2 * * *", "15 10 * * 1-5", "*/20 * * * * *", "0 0 2-3 * * *", "0 0 L * *", "45 23 * * 0",
    ];

    // (unit index in RepeatPeriod.Units order, largest amount generated)
    private static readonly (int Unit, int Max)[] UnitRanges =
        [(0, 3), (1, 14), (2, 5), (3, 40), (4, 50), (5, 200), (6, 500), (7, 100_000)];

    public static Arbitrary<ScheduleProbe> Probes() => Arb.From(
        from schedule in Gen.OneOf(Repeats(), CronSchedules(), Decays(), Onces())
        from t1 in Around(schedule.Start, -63_072_000, 157_680_000)
        from delta in Gen.Frequency((3, Seconds(0, 7_200)), (1, Seconds(0, 100_000_000)))
        select new ScheduleProbe(schedule.Description, schedule.Schedule, t1, t1 + delta));

    private sealed record Generated(string Description, Schedule Schedule, DateTimeOffset Start);

    private static Gen<Generated> Repeats() =>
        from zone in Gen.Elements(Zones)
        from start in Around(Epoch, 0, 315_360_000)
        from first in Unit()
        from second in Unit()
        from useSecond in Gen.Elements(true, false)
        let values = Combine(first, useSecond ? second : (first.Unit, 0))
        let period = new RepeatPeriod
        {
            Years = values[0], Months = values[1], Weeks = values[2], Days = values[3],
            Hours = values[4], Minutes = values[5], Seconds = values[6], Milliseconds = values[7],
        }
        select new Generated($"every {period} in {zone} from {start:O}", new RepeatSchedule(start, period, ZonedTime.FindZone(zone)), start);

    private static Gen<Generated> CronSchedules() =>
        from zone in Gen.Elements(Zones)
        from cron in Gen.Elements(Crons)
        from start in Around(Epoch, 0, 315_360_000)
        select new Generated($"cron '{cron}' in {zone}", CronSchedule.Parse(cron, ZonedTime.FindZone(zone)), start);

    private static Gen<Generated> Decays() =>
        from start in Around(Epoch, 0, 315_360_000)
        from seconds in Gen.Choose(1, 600)
        from factor in Gen.Elements(0.25, 0.5, 0.9, 1.0, 1.1, 2.0, 3.0)
        from min in Gen.Elements<int?>(null, 1, 5, 60)
        from max in Gen.Elements<int?>(null, 60, 600, 7_200)
        let decay = new DecaySpec
        {
            Factor = factor,
            Min = min is { } m ? new RepeatPeriod { Seconds = m } : null,
            Max = max is { } x ? new RepeatPeriod { Seconds = Math.Max(x, min ?? 0) } : null,
        }
        select new Generated($"every {seconds} s from {start:O} decaying ×{factor} min {min} max {max}",
            new DecayingSchedule(start, TimeSpan.FromSeconds(seconds), decay), start);

    private static Gen<Generated> Onces() =>
        from at in Around(Epoch, 0, 315_360_000)
        select new Generated($"once at {at:O}", new OnceSchedule(at), at);

    private static Gen<(int Unit, int Amount)> Unit() =>
        from range in Gen.Elements(UnitRanges)
        from amount in Gen.Choose(1, range.Max)
        select (range.Unit, amount);

    private static long[] Combine((int Unit, int Amount) first, (int Unit, int Amount) second)
    {
        var values = new long[8];
        values[first.Unit] += first.Amount;
        values[second.Unit] += second.Amount;
        return values;
    }

    private static Gen<DateTimeOffset> Around(DateTimeOffset origin, int fromSeconds, int toSeconds) =>
        from seconds in Gen.Choose(fromSeconds, toSeconds)
        from ticks in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, (int)TimeSpan.TicksPerSecond - 1)))
        select origin.AddSeconds(seconds).AddTicks(ticks);

    private static Gen<TimeSpan> Seconds(int least, int most) =>
        from seconds in Gen.Choose(least, most)
        from ticks in Gen.Choose(0, (int)TimeSpan.TicksPerSecond - 1)
        select TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(ticks);
}
