using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Policies;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Policies;

/// <summary>
/// What happens to the occurrences that came due while nobody could run them. Every due occurrence up to
/// HandledThrough must be accounted for exactly once: run now, in the backlog, or skipped with a reason.
/// </summary>
public sealed class MisfireDecisionSpecs
{
    private static JobPlan Plan(string every, string start = "2026-01-01T00:00:00Z") =>
        new(new JobDefinition { Id = "misfire", Schedule = new ScheduleSpec { Every = Period(every), Start = Utc(start) } }, Utc(start));

    private static readonly JobPlan EveryMinute = Plan("""{"minutes":1}""");
    private static readonly JobPlan Hourly = Plan("""{"hours":1}""");

    private static MisfireSpec Spec(MisfirePolicy policy, string catchUpWindow = "P1D", int? maxCatchUp = null) =>
        new() { Policy = policy, CatchUpWindow = IsoDuration.Parse(catchUpWindow), MaxCatchUp = maxCatchUp };

    // 3 hours down: the 09:01 … 12:00 occurrences (180 of them) are due at 12:00:30.
    private static readonly DateTimeOffset OutageFirstDue = Utc("2026-01-01T09:01:00Z");
    private static readonly DateTimeOffset OutageNow = Utc("2026-01-01T12:00:30Z");

    [Fact]
    public void Should_run_the_latest_and_coalesce_the_other_179_when_fireOnce_follows_a_three_hour_outage()
    {
        var decision = MisfireDecision.Decide(Spec(MisfirePolicy.FireOnce), EveryMinute, OutageFirstDue, OutageNow);

        Assert.Equal(Utc("2026-01-01T12:00:00Z"), decision.RunNow);
        Assert.True(decision.IsCatchUp);
        Assert.True(decision.Backlog.IsEmpty);
        var coalesced = Assert.Single(decision.Skipped);
        Assert.Equal(MisfireDecision.CoalescedByFireOnce, coalesced.Reason);
        Assert.Equal(new OccurrenceRange(Utc("2026-01-01T09:01:00Z"), Utc("2026-01-01T11:59:00Z"), 179, false), coalesced.Range);
        Assert.Equal(Utc("2026-01-01T12:00:00Z"), decision.HandledThrough);
    }

    [Fact]
    public void Should_run_the_oldest_and_queue_the_other_179_when_fireAll_follows_a_three_hour_outage()
    {
        var decision = MisfireDecision.Decide(Spec(MisfirePolicy.FireAll), EveryMinute, OutageFirstDue, OutageNow);

        Assert.Equal(Utc("2026-01-01T09:01:00Z"), decision.RunNow);
        Assert.True(decision.IsCatchUp);
        Assert.Equal(new OccurrenceRange(Utc("2026-01-01T09:02:00Z"), Utc("2026-01-01T12:00:00Z"), 179, false), decision.Backlog);
        Assert.Empty(decision.Skipped);
        Assert.Equal(Utc("2026-01-01T12:00:00Z"), decision.HandledThrough);
    }

    [Fact]
    public void Should_skip_all_180_with_the_policy_reason_when_skip_follows_a_three_hour_outage()
    {
        var decision = MisfireDecision.Decide(Spec(MisfirePolicy.Skip), EveryMinute, OutageFirstDue, OutageNow);

        Assert.Null(decision.RunNow);
        Assert.False(decision.IsCatchUp);
        Assert.True(decision.Backlog.IsEmpty);
        var skipped = Assert.Single(decision.Skipped);
        Assert.Equal(MisfireDecision.SkippedByPolicy, skipped.Reason);
        Assert.Equal(new OccurrenceRange(Utc("2026-01-01T09:01:00Z"), Utc("2026-01-01T12:00:00Z"), 180, false), skipped.Range);
        Assert.Equal(Utc("2026-01-01T12:00:00Z"), decision.HandledThrough);
    }

    // 3 days down, catch-up window P1D: of the 4,320 occurrences (Jan 1 00:01 … Jan 4 00:00) the 2,880 up to
    // Jan 3 00:00 are older than now − 1 day (Jan 3 00:00:30); the last 1,440 are left to the policy.
    [Theory]
    [InlineData(MisfirePolicy.FireOnce, "2026-01-04T00:00:00Z", 0, MisfireDecision.CoalescedByFireOnce, "2026-01-03T00:01:00Z", "2026-01-03T23:59:00Z", 1439)]
    [InlineData(MisfirePolicy.FireAll, "2026-01-03T00:01:00Z", 1439, null, null, null, 0)]
    [InlineData(MisfirePolicy.Skip, null, 0, MisfireDecision.SkippedByPolicy, "2026-01-03T00:01:00Z", "2026-01-04T00:00:00Z", 1440)]
    public void Should_skip_what_is_older_than_the_catch_up_window_when_the_outage_is_longer_than_it(
        MisfirePolicy policy, string? runNow, int backlogCount, string? policyReason, string? policyFirst, string? policyLast, int policyCount)
    {
        var (firstDue, now) = (Utc("2026-01-01T00:01:00Z"), Utc("2026-01-04T00:00:30Z"));

        // fireAll's cap on the backlog is raised above the 1,440 in the window: this spec is about the window alone.
        var decision = MisfireDecision.Decide(Spec(policy, "P1D", maxCatchUp: 2_000), EveryMinute, firstDue, now);

        Assert.Equal(runNow is null ? null : Utc(runNow), decision.RunNow);
        Assert.Equal(runNow is not null, decision.IsCatchUp);
        Assert.Equal(backlogCount, decision.Backlog.Count);
        Assert.Equal(new SkippedOccurrences(
            new OccurrenceRange(Utc("2026-01-01T00:01:00Z"), Utc("2026-01-03T00:00:00Z"), 2880, false),
            MisfireDecision.OutsideCatchUpWindow), decision.Skipped[0]);
        if (policyReason is null)
            Assert.Single(decision.Skipped);
        else
            Assert.Equal(new SkippedOccurrences(new OccurrenceRange(Utc(policyFirst!), Utc(policyLast!), policyCount, false), policyReason),
                decision.Skipped[1]);
        Assert.Equal(Utc("2026-01-04T00:00:00Z"), decision.HandledThrough);
        AssertEachDueOccurrenceAccountedOnce(EveryMinute, firstDue, decision, expectedDue: 4320);
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce)]
    [InlineData(MisfirePolicy.FireAll)]
    [InlineData(MisfirePolicy.Skip)]
    public void Should_account_for_each_of_the_180_occurrences_once_when_any_policy_follows_a_three_hour_outage(MisfirePolicy policy)
    {
        var decision = MisfireDecision.Decide(Spec(policy), EveryMinute, OutageFirstDue, OutageNow);

        AssertEachDueOccurrenceAccountedOnce(EveryMinute, OutageFirstDue, decision, expectedDue: 180);
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce, "2026-01-01T10:00:00Z")]
    [InlineData(MisfirePolicy.FireOnce, "2026-01-01T10:00:30Z")]
    [InlineData(MisfirePolicy.FireOnce, "2026-01-01T10:01:00Z")]
    [InlineData(MisfirePolicy.FireAll, "2026-01-01T10:00:30Z")]
    [InlineData(MisfirePolicy.Skip, "2026-01-01T10:00:30Z")]
    [InlineData(MisfirePolicy.Skip, "2026-01-01T10:01:00Z")]
    public void Should_run_on_time_when_a_single_occurrence_is_at_most_the_threshold_late(MisfirePolicy policy, string now)
    {
        var decision = MisfireDecision.Decide(Spec(policy), Hourly, Utc("2026-01-01T10:00:00Z"), Utc(now));

        Assert.Equal(Utc("2026-01-01T10:00:00Z"), decision.RunNow);
        Assert.False(decision.IsCatchUp, "a single occurrence within the threshold is on time");
        Assert.True(decision.Backlog.IsEmpty);
        Assert.Empty(decision.Skipped);
        Assert.Equal(Utc("2026-01-01T10:00:00Z"), decision.HandledThrough);
    }

    [Fact]
    public void Should_use_the_job_threshold_when_one_is_given()
    {
        var spec = Spec(MisfirePolicy.Skip) with { Threshold = TimeSpan.FromMinutes(10) };

        var decision = MisfireDecision.Decide(spec, Hourly, Utc("2026-01-01T10:00:00Z"), Utc("2026-01-01T10:05:00Z"));

        Assert.True(decision.RunNow == Utc("2026-01-01T10:00:00Z") && !decision.IsCatchUp, "5 minutes late is on time within a 10-minute threshold");
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce, true, null)]
    [InlineData(MisfirePolicy.FireAll, true, null)]
    [InlineData(MisfirePolicy.Skip, false, MisfireDecision.SkippedByPolicy)]
    public void Should_treat_a_single_occurrence_as_a_misfire_when_it_is_later_than_the_threshold(MisfirePolicy policy, bool runs, string? skipReason)
    {
        var (due, now) = (Utc("2026-01-01T10:00:00Z"), Utc("2026-01-01T10:01:00.0000001Z"));

        var decision = MisfireDecision.Decide(Spec(policy), Hourly, due, now);

        Assert.Equal(runs ? due : null, decision.RunNow);
        Assert.Equal(runs, decision.IsCatchUp);
        Assert.True(decision.Backlog.IsEmpty);
        Assert.Equal(skipReason is null ? [] : [new SkippedOccurrences(new OccurrenceRange(due, due, 1, false), skipReason)], decision.Skipped);
        Assert.Equal(due, decision.HandledThrough);
    }

    [Fact]
    public void Should_count_as_a_misfire_when_two_occurrences_are_due_even_if_both_are_within_the_threshold()
    {
        var decision = MisfireDecision.Decide(Spec(MisfirePolicy.FireOnce), EveryMinute, Utc("2026-01-01T10:00:00Z"), Utc("2026-01-01T10:01:05Z"));

        Assert.Equal(Utc("2026-01-01T10:01:00Z"), decision.RunNow);
        Assert.True(decision.IsCatchUp);
        Assert.Equal(1, Assert.Single(decision.Skipped).Range.Count);
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce)]
    [InlineData(MisfirePolicy.FireAll)]
    [InlineData(MisfirePolicy.Skip)]
    public void Should_skip_everything_when_every_due_occurrence_is_older_than_the_catch_up_window(MisfirePolicy policy)
    {
        var daily = Plan("""{"days":1}""");

        var decision = MisfireDecision.Decide(Spec(policy, "PT1H"), daily, Utc("2026-01-01T00:00:00Z"), Utc("2026-01-03T12:00:00Z"));

        Assert.Null(decision.RunNow);
        Assert.True(decision.Backlog.IsEmpty);
        Assert.Equal([new SkippedOccurrences(new OccurrenceRange(Utc("2026-01-01T00:00:00Z"), Utc("2026-01-03T00:00:00Z"), 3, false),
            MisfireDecision.OutsideCatchUpWindow)], decision.Skipped);
        Assert.Equal(Utc("2026-01-03T00:00:00Z"), decision.HandledThrough);
    }

    [Fact]
    public void Should_run_only_the_most_recent_maxCatchUp_occurrences_when_fireAll_meets_a_longer_backlog()
    {
        var decision = MisfireDecision.Decide(Spec(MisfirePolicy.FireAll, maxCatchUp: 100), EveryMinute, OutageFirstDue, OutageNow);

        var skipped = Assert.Single(decision.Skipped);
        Assert.Equal(MisfireDecision.BeyondMaxCatchUp, skipped.Reason);
        Assert.Equal(new OccurrenceRange(Utc("2026-01-01T09:01:00Z"), Utc("2026-01-01T10:20:00Z"), 80, false), skipped.Range);
        Assert.Equal(Utc("2026-01-01T10:21:00Z"), decision.RunNow);
        Assert.Equal(new OccurrenceRange(Utc("2026-01-01T10:22:00Z"), Utc("2026-01-01T12:00:00Z"), 99, false), decision.Backlog);
        AssertEachDueOccurrenceAccountedOnce(EveryMinute, OutageFirstDue, decision, expectedDue: 180);
    }

    [Fact]
    public void Should_decide_nothing_when_nothing_is_due_yet()
    {
        Assert.Same(MisfireDecision.Nothing,
            MisfireDecision.Decide(Spec(MisfirePolicy.FireAll), Hourly, Utc("2026-01-01T11:00:00Z"), Utc("2026-01-01T10:59:59Z")));
    }

    // 3 days of an every-second job: 259,200 due occurrences, more than one range holds (100,000), so the caller
    // decides range after range until it reaches now. fireOnce must still run exactly once, the most recent; fireAll
    // runs the most recent maxCatchUp (default 1,000) and records the older ones as skipped.
    [Theory]
    [InlineData(MisfirePolicy.FireOnce, 1, 0, 259_199)]
    [InlineData(MisfirePolicy.FireAll, 1, 999, 258_200)]
    [InlineData(MisfirePolicy.Skip, 0, 0, 259_200)]
    public void Should_keep_the_policy_when_the_outage_spans_more_occurrences_than_one_range_holds(
        MisfirePolicy policy, int expectedRunNows, int expectedBacklog, int expectedSkipped)
    {
        var everySecond = Plan("""{"seconds":1}""");
        var (firstDue, now) = (Utc("2026-01-01T00:00:01Z"), Utc("2026-01-04T00:00:00.5Z"));
        var decisions = new List<MisfireDecision>();

        for (DateTimeOffset? cursor = firstDue; cursor <= now && decisions.Count < 10; cursor = everySecond.NextAfter(decisions[^1].HandledThrough!.Value, 0))
            decisions.Add(MisfireDecision.Decide(Spec(policy, "P4D"), everySecond, cursor.Value, now));

        Assert.Equal(expectedRunNows, decisions.Count(d => d.RunNow is not null));
        Assert.Equal(expectedBacklog, decisions.Sum(d => d.Backlog.Count));
        Assert.Equal(expectedSkipped, decisions.Sum(d => d.Skipped.Sum(s => s.Range.Count)));
        Assert.Equal(now.AddSeconds(-0.5), decisions[^1].HandledThrough);
        if (policy == MisfirePolicy.FireOnce)
            Assert.True(decisions.Single(d => d.RunNow is not null).RunNow == now.AddSeconds(-0.5), "fireOnce runs the most recent due occurrence");
    }

    private static void AssertEachDueOccurrenceAccountedOnce(JobPlan plan, DateTimeOffset firstDue, MisfireDecision decision, int expectedDue)
    {
        var due = Expand(plan, plan.Range(firstDue, decision.HandledThrough!.Value));
        Assert.Equal(expectedDue, due.Count);

        var accounted = new List<DateTimeOffset>();
        if (decision.RunNow is { } runNow) accounted.Add(runNow);
        accounted.AddRange(Expand(plan, decision.Backlog));
        foreach (var skipped in decision.Skipped) accounted.AddRange(Expand(plan, skipped.Range));

        Assert.True(expectedDue == accounted.Count, $"run + backlog + skipped = {accounted.Count}, but {expectedDue} were due");
        Assert.Equal(due, accounted.Order().ToList());
    }

    /// <summary>The occurrences a range stands for, checking that its Last and Count agree with the schedule.</summary>
    private static List<DateTimeOffset> Expand(JobPlan plan, OccurrenceRange range)
    {
        var all = new List<DateTimeOffset>();
        for (DateTimeOffset? o = range.IsEmpty ? null : range.First; o is { } at && all.Count < range.Count; o = plan.NextAfter(at, 0))
            all.Add(at);
        Assert.Equal(range.Count, all.Count);
        if (!range.IsEmpty) Assert.Equal(range.Last, all[^1]);
        return all;
    }
}
