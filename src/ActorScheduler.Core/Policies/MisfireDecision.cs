using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Policies;

/// <summary>A range of occurrences that will not run, and why.</summary>
public sealed record SkippedOccurrences(OccurrenceRange Range, string Reason);

/// <summary>
/// The verdict on the occurrences that came due in [firstDue, now]: at most one to run now, a backlog to run
/// one after another (fireAll), and the ranges that will not run with their reasons. Every occurrence up to
/// <see cref="HandledThrough"/> is in exactly one of the three; later ones are still to be decided.
/// </summary>
public sealed record MisfireDecision(
    DateTimeOffset? RunNow,
    bool IsCatchUp,
    OccurrenceRange Backlog,
    IReadOnlyList<SkippedOccurrences> Skipped,
    DateTimeOffset? HandledThrough)
{
    public const string OutsideCatchUpWindow = "misfire: older than the catch-up window";
    public const string CoalescedByFireOnce = "misfire: coalesced into one catch-up run (fireOnce)";
    public const string SkippedByPolicy = "misfire: skipped by policy (skip)";
    public const string BeyondMaxCatchUp = "misfire: older than the most recent maxCatchUp occurrences (fireAll)";

    public static readonly MisfireDecision Nothing = new(null, false, OccurrenceRange.Empty, [], null);

    /// <summary>
    /// Decides the due occurrences of <paramref name="plan"/> from <paramref name="firstDue"/> (an occurrence
    /// not yet handled) through <paramref name="now"/>. A single occurrence at most <c>threshold</c> late is on
    /// time; anything else is a misfire handled by the policy. Occurrences older than the catch-up window never
    /// run, whatever the policy.
    /// </summary>
    public static MisfireDecision Decide(MisfireSpec spec, JobPlan plan, DateTimeOffset firstDue, DateTimeOffset now)
    {
        var due = plan.Range(firstDue, now);
        if (due.IsEmpty)
            return Nothing;
        if (due.Count == 1 && !due.AtLeast && now - due.First <= spec.Threshold)
            return new MisfireDecision(due.First, false, OccurrenceRange.Empty, [], due.First);

        var skipped = new List<SkippedOccurrences>();
        var windowStart = now - spec.CatchUpWindow;
        var eligible = due;
        if (due.First < windowStart)
        {
            var old = plan.Range(due.First, Min(windowStart.AddTicks(-1), due.Last));
            skipped.Add(new SkippedOccurrences(old, OutsideCatchUpWindow));
            eligible = After(plan, old.Last, due.Last);
        }
        if (eligible.IsEmpty)
            return new MisfireDecision(null, false, OccurrenceRange.Empty, skipped, due.Last);

        switch (spec.Policy)
        {
            case MisfirePolicy.Skip:
                skipped.Add(new SkippedOccurrences(eligible, SkippedByPolicy));
                return new MisfireDecision(null, false, OccurrenceRange.Empty, skipped, due.Last);
            case MisfirePolicy.FireAll:
                // At most the most recent maxCatchUp run, counted here once. A capped range means more are due after
                // it: this part is all older than what will run, so it is skipped whole and the rest decided next.
                if (eligible.AtLeast || eligible.Count > spec.EffectiveMaxCatchUp)
                {
                    var older = eligible.AtLeast ? eligible : plan.Range(eligible.First, Nth(plan, eligible.First, eligible.Count - spec.EffectiveMaxCatchUp - 1));
                    skipped.Add(new SkippedOccurrences(older, BeyondMaxCatchUp));
                    if (eligible.AtLeast)
                        return new MisfireDecision(null, false, OccurrenceRange.Empty, skipped, due.Last);
                    eligible = After(plan, older.Last, eligible.Last);
                }
                return new MisfireDecision(eligible.First, true, After(plan, eligible.First, eligible.Last), skipped, due.Last);
            default:
                // fireOnce runs the most recent due occurrence: the least late, with the freshest data. A capped
                // range means more are due after it, so this part is coalesced and the run left to the last part.
                if (due.AtLeast)
                {
                    skipped.Add(new SkippedOccurrences(eligible, CoalescedByFireOnce));
                    return new MisfireDecision(null, false, OccurrenceRange.Empty, skipped, due.Last);
                }
                if (eligible.Count > 1)
                    skipped.Add(new SkippedOccurrences(plan.Range(eligible.First, eligible.Last.AddTicks(-1)), CoalescedByFireOnce));
                return new MisfireDecision(eligible.Last, true, OccurrenceRange.Empty, skipped, due.Last);
        }
    }

    /// <summary>The occurrence <paramref name="steps"/> after <paramref name="first"/> (which is an occurrence).</summary>
    private static DateTimeOffset Nth(JobPlan plan, DateTimeOffset first, int steps)
    {
        var at = first;
        for (var i = 0; i < steps && plan.NextAfter(at, 0) is { } next; i++)
            at = next;
        return at;
    }

    private static OccurrenceRange After(JobPlan plan, DateTimeOffset previous, DateTimeOffset through) =>
        plan.NextAfter(previous, 0) is { } next && next <= through ? plan.Range(next, through) : OccurrenceRange.Empty;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
