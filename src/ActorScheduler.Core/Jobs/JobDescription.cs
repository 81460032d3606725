using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// The API's job description (<c>GET /api/v1/jobs/{id}/describe</c>, our addition): the view, how many occurrences did
/// not run because they were older than the catch-up window or because a run was in flight (overlap), the next
/// <see cref="Count"/> times the schedule gives and the <see cref="Count"/> most recent runs. All of it from the state,
/// so it is the same after a replay.
/// </summary>
/// <remarks>
/// The counts add up the journal's <see cref="RunsSkipped"/> ranges (a range cut at its cap counts its cap); a job
/// recovered from a snapshot older than the counts counts from that snapshot on.
/// </remarks>
public sealed record JobDescription(
    JobView Job,
    long MissedByCatchUpWindow,
    long SkippedByOverlap,
    IReadOnlyList<DateTimeOffset> NextTimes,
    IReadOnlyList<RunView> RecentRuns)
{
    public const int Count = 10;

    public static JobDescription From(JobState state) => new(
        JobView.From(state), state.MissedByCatchUpWindow, state.SkippedByOverlap, NextTimesOf(state),
        state.InFlight.Reverse().Concat(state.Recent).Take(Count).Select(run => RunView.From(state.Id, run)).ToList());

    /// <summary>The next due time and the schedule's occurrences after it, as many as the run limit still allows.</summary>
    private static List<DateTimeOffset> NextTimesOf(JobState state)
    {
        var times = new List<DateTimeOffset>(Count);
        var plan = JobDecider.Plan(state);
        for (var next = state.NextDueAt; next is { } time && times.Count < Count; next = plan.NextAfter(time, state.RunCount + times.Count))
            times.Add(time);
        return times;
    }

    /// <summary>Which count a skipped range adds to, if any.</summary>
    internal static (long Missed, long Overlap) Counts(RunsSkipped skipped) =>
        skipped.Reason == MisfireDecision.OutsideCatchUpWindow ? (skipped.Count, 0)
        : skipped.Reason.StartsWith("overlap:", StringComparison.Ordinal) ? (0, skipped.Count)
        : (0, 0);
}
