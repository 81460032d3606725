using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>Jitter: a stable delay per (job, occurrence) in [0, jitter), never reaching the next occurrence.</summary>
public sealed class JitterSpecs
{
    private static readonly DateTimeOffset Anchor = Utc("2026-03-01T00:00:00Z");

    private static JobDefinition Job(string id, string cron, TimeSpan? jitter, IReadOnlyList<ExcludeSpec>? exclude = null) =>
        new() { Id = id, Schedule = new() { Cron = cron }, Jitter = jitter, Exclude = exclude };

    private static DateTimeOffset[] Occurrences(JobDefinition definition, int count, DateTimeOffset? after = null) =>
        [.. ScheduleSet.Compile(definition, Anchor)!.Occurrences(after ?? Anchor, count)];

    [Theory]
    [InlineData("0 * * * *", 30)]      // hourly, 30 s jitter: jitter is the bound
    [InlineData("* * * * * *", 3600)]  // every second, an hour of jitter: the next occurrence is the bound
    [InlineData("*/10 * * * * *", 7)]
    public void Should_delay_each_occurrence_within_its_bounds_and_keep_the_order(string cron, int jitterSeconds)
    {
        var jitter = TimeSpan.FromSeconds(jitterSeconds);
        var nominal = Occurrences(Job("billing", cron, null), 200);
        var schedule = (JitteredSchedule)ScheduleSet.Compile(Job("billing", cron, jitter), Anchor)!;

        var delayed = nominal.Select(schedule.Delayed).ToArray();
        for (var i = 0; i < nominal.Length - 1; i++)
        {
            var delay = delayed[i] - nominal[i];
            Assert.True(delay >= TimeSpan.Zero && delay < jitter, $"occurrence {nominal[i]:O} delayed by {delay}, outside [0, {jitter})");
            Assert.True(delayed[i] < nominal[i + 1], $"occurrence {nominal[i]:O} fired at {delayed[i]:O}, not before the next ({nominal[i + 1]:O})");
        }
        Assert.Contains(delayed.Zip(nominal), p => p.First != p.Second);
        // Walking the schedule gives exactly the delayed nominal occurrences, in order.
        Equal(delayed, schedule.Occurrences(delayed[0].AddTicks(-1), delayed.Length), "the jittered schedule is the nominal one, delayed");
    }

    [Fact]
    public void Should_give_the_same_delays_on_every_compile_and_different_ones_for_another_job()
    {
        var jitter = TimeSpan.FromMinutes(10);
        var first = Occurrences(Job("a", "0 * * * *", jitter), 24);
        var again = Occurrences(Job("a", "0 * * * *", jitter), 24);
        var other = Occurrences(Job("b", "0 * * * *", jitter), 24);

        Equal(first, again, "the delay is a function of job id and occurrence only");
        Assert.NotEqual(Show(first), Show(other));
    }

    [Fact]
    public void Should_find_the_same_next_occurrence_from_anywhere_between_two_of_them()
    {
        var definition = Job("a", "*/5 * * * *", TimeSpan.FromMinutes(4));
        var schedule = ScheduleSet.Compile(definition, Anchor)!;
        var occurrences = Occurrences(definition, 50);

        for (var i = 1; i < occurrences.Length; i++)
        {
            var previous = occurrences[i - 1];
            foreach (var after in new[] { previous, previous.AddTicks(1), previous + (occurrences[i] - previous) / 2, occurrences[i].AddTicks(-1) })
                Assert.Equal(occurrences[i], schedule.NextAfter(after));
        }
    }

    [Fact]
    public void Should_bound_the_delay_by_the_next_occurrence_left_after_exclusions()
    {
        // Hourly with an hour's jitter; 01:00 is excluded, so 00:00 may be delayed up to 02:00 and no further.
        var definition = Job("a", "0 * * * *", TimeSpan.FromHours(1), [new() { Cron = "0 1 * * *" }]);
        var occurrences = Occurrences(definition, 48);

        Assert.DoesNotContain(occurrences, o => o.Hour == 1 && o.Minute == 0 && o.Second == 0);
        Assert.All(occurrences.Zip(occurrences.Skip(1)), p => Assert.True(p.First < p.Second));
    }

    [Fact]
    public void Should_count_jittered_occurrences_in_a_plan_range_as_its_next_after_does()
    {
        var definition = Job("a", "* * * * * *", TimeSpan.FromSeconds(5));
        var plan = new JobPlan(definition, Anchor);
        var first = plan.NextAfter(Anchor, 0)!.Value;

        var range = plan.Range(first, first.AddHours(1));

        Assert.Equal(3600, range.Count);
        Assert.True(range.Last < first.AddHours(1));
    }
}
