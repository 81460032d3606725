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
/// recovered from a snapshot older than the counts counts from that snapshot on. <see cref="FanIn"/> (null for a job
/// without fan-in triggers) says, per fan-in, which parts have arrived and until when they count.
/// </remarks>
public sealed record JobDescription(
    JobView Job,
    long MissedByCatchUpWindow,
    long SkippedByOverlap,
    IReadOnlyList<DateTimeOffset> NextTimes,
    IReadOnlyList<RunView> RecentRuns,
    IReadOnlyList<FanInStatus>? FanIn = null)
{
    public const int Count = 10;

    /// <param name="now">The time of asking: parts that arrived longer than <c>within</c> before it are shown as not arrived.</param>
    public static JobDescription From(JobState state, DateTimeOffset? now = null) => new(
        JobView.From(state), state.MissedByCatchUpWindow, state.SkippedByOverlap, NextTimesOf(state),
        state.InFlight.Reverse().Concat(state.Recent).Take(Count).Select(run => RunView.From(state.Id, run)).ToList(),
        FanInOf(state, now));

    private static List<FanInStatus>? FanInOf(JobState state, DateTimeOffset? now)
    {
        if (state.Definition.Triggers is not { } triggers || !triggers.Any(t => t?.All is not null))
            return null;
        var statuses = new List<FanInStatus>();
        for (var i = 0; i < triggers.Count; i++)
        {
            if (triggers[i] is not { All: { } parts } fanIn)
                continue;
            var within = fanIn.EffectiveWithin;
            var arrived = (state.FanIn ?? []).Where(a => a.Trigger == i && (now is null || a.At > now.Value - within)).ToDictionary(a => a.Part);
            statuses.Add(new FanInStatus(i, within, parts.Select((part, p) => arrived.TryGetValue(p, out var arrival)
                ? new FanInPartStatus(part.PartName!, arrival.At, arrival.At + within)
                : new FanInPartStatus(part.PartName!, null, null)).ToList()));
        }
        return statuses;
    }

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

/// <summary>A fan-in trigger (<c>triggers[Trigger]</c>) as it stands: each part, and when it arrived and stops counting.</summary>
public sealed record FanInStatus(int Trigger, TimeSpan Within, IReadOnlyList<FanInPartStatus> Parts);

/// <summary>One part of a fan-in by its job or event name; <see cref="ArrivedAt"/> null: still waited for.</summary>
public sealed record FanInPartStatus(string Name, DateTimeOffset? ArrivedAt, DateTimeOffset? ExpiresAt);
