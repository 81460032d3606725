using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>
/// "every P, decaying": occurrence 0 is the start, the gap after occurrence k is P·factor^k clamped to
/// [min, max] (min defaults to 1 s when speeding up). A pure function of the rule, whoever asks and from where.
/// </summary>
public sealed class DecayingScheduleSpecs
{
    private static readonly DateTimeOffset Start = Utc("2026-01-01T00:00:00Z");

    private static Schedule Decaying(string every, string decay) =>
        Schedule.Compile(CoreJson.Deserialize<ScheduleSpec>($$"""{"every":{{every}},"decay":{{decay}},"start":"2026-01-01T00:00:00Z"}"""), Start);

    public static TheoryData<string, string, string> Rules => new()
    {
        // gaps 1, 2, 4, 8 minutes, then clamped to 10
        { """{"minutes":1}""", """{"factor":2,"max":{"minutes":10}}""",
          "2026-01-01T00:00:00Z, 2026-01-01T00:01:00Z, 2026-01-01T00:03:00Z, 2026-01-01T00:07:00Z, 2026-01-01T00:15:00Z, 2026-01-01T00:25:00Z, 2026-01-01T00:35:00Z" },
        // gaps 1, 3, 9, 27 minutes: no max, no clamp
        { """{"minutes":1}""", """{"factor":3}""",
          "2026-01-01T00:00:00Z, 2026-01-01T00:01:00Z, 2026-01-01T00:04:00Z, 2026-01-01T00:13:00Z, 2026-01-01T00:40:00Z" },
        // gaps 60, 30, 15 s, then 7.5 s clamped up to the 10 s min
        { """{"minutes":1}""", """{"factor":0.5,"min":{"seconds":10}}""",
          "2026-01-01T00:00:00Z, 2026-01-01T00:01:00Z, 2026-01-01T00:01:30Z, 2026-01-01T00:01:45Z, 2026-01-01T00:01:55Z, 2026-01-01T00:02:05Z, 2026-01-01T00:02:15Z" },
        // gaps 8, 4, 2, 1 s, then 0.5 s clamped up to the default 1 s floor
        { """{"seconds":8}""", """{"factor":0.5}""",
          "2026-01-01T00:00:00Z, 2026-01-01T00:00:08Z, 2026-01-01T00:00:12Z, 2026-01-01T00:00:14Z, 2026-01-01T00:00:15Z, 2026-01-01T00:00:16Z, 2026-01-01T00:00:17Z" },
        // a min above P when slowing down: gaps 30 (10 clamped), 30 (20 clamped), 40, then 60 (80 clamped to max)
        { """{"seconds":10}""", """{"factor":2,"min":{"seconds":30},"max":{"minutes":1}}""",
          "2026-01-01T00:00:00Z, 2026-01-01T00:00:30Z, 2026-01-01T00:01:00Z, 2026-01-01T00:01:40Z, 2026-01-01T00:02:40Z, 2026-01-01T00:03:40Z" },
        // factor 1: plain repetition
        { """{"minutes":5}""", """{"factor":1}""",
          "2026-01-01T00:00:00Z, 2026-01-01T00:05:00Z, 2026-01-01T00:10:00Z" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Should_space_occurrences_by_the_clamped_geometric_gaps_when_decaying(string every, string decay, string expected)
    {
        Equal(UtcList(expected), From(Decaying(every, decay), Start, UtcList(expected).Length), $"every {every} decay {decay}");
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Should_give_the_same_next_occurrence_when_asked_from_anywhere_between_two_occurrences(string every, string decay, string expected)
    {
        var schedule = Decaying(every, decay);
        var occurrences = UtcList(expected);

        foreach (var (previous, next) in occurrences.Zip(occurrences.Skip(1)))
        {
            var half = previous + (next - previous) / 2;
            foreach (var asked in new[] { previous, previous.AddTicks(1), half, next.AddTicks(-1) })
                Assert.True(next == schedule.NextAfter(asked), $"NextAfter({asked:O}) should be {next:O}, got {schedule.NextAfter(asked):O}");
        }
        Assert.Equal(Start, schedule.NextAfter(Start.AddYears(-1)));
    }

    [Theory]
    [InlineData("""{"minutes":1}""", """{"factor":2,"max":{"minutes":10}}""", "2026-01-02T00:00:00Z", "2026-01-02T00:05:00Z")]
    [InlineData("""{"minutes":1}""", """{"factor":0.5,"min":{"seconds":10}}""", "2026-01-01T01:00:00Z", "2026-01-01T01:00:05Z")]
    [InlineData("""{"seconds":8}""", """{"factor":0.5}""", "2026-01-01T00:10:00.5Z", "2026-01-01T00:10:01Z")]
    public void Should_agree_with_walking_every_occurrence_when_asked_long_after_the_start(
        string every, string decay, string asked, string expected)
    {
        var schedule = Decaying(every, decay);

        var walked = schedule.Occurrences(Start.AddTicks(-1), 100_000).First(o => o > Utc(asked));

        Assert.Equal(Utc(expected), walked);
        Assert.Equal(walked, schedule.NextAfter(Utc(asked)));
    }

    [Fact]
    public void Should_report_each_clamped_gap_when_asked_for_gap_k()
    {
        var schedule = new DecayingSchedule(Start, TimeSpan.FromMinutes(1),
            new DecaySpec { Factor = 2, Max = new RepeatPeriod { Minutes = 10 } });

        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(0, 6).Select(k => schedule.Gap(k).TotalMinutes));
        Assert.Equal(TimeSpan.FromMinutes(10), schedule.Gap(10_000));
    }
}
