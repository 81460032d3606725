using System.Globalization;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// A place in a run history listed newest first. Runs are ordered by scheduled time, then job id, then run number,
/// all descending: a key no run ever changes, so paging by it neither skips nor repeats a run, whatever is written
/// meanwhile (a new run lands on the first page, or on a later one when it was scheduled for the past). A page's
/// <c>next</c> is its last run's cursor; the following page holds the runs after it. Written
/// <c>{scheduledFor as UTC ticks}.{runId}</c>; clients treat it as opaque.
/// </summary>
public readonly record struct RunCursor(DateTimeOffset ScheduledFor, RunId RunId)
{
    public static RunCursor Of(RunView run) => RunId.TryParse(run.RunId, out var runId)
        ? new RunCursor(run.ScheduledFor, runId)
        : throw new ArgumentException($"'{run.RunId}' is not a run id.", nameof(run));

    public override string ToString() => $"{ScheduledFor.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{RunId}";

    public static bool TryParse(string? text, out RunCursor cursor)
    {
        cursor = default;
        var dot = text?.IndexOf('.') ?? -1;
        if (dot <= 0 ||
            !long.TryParse(text![..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            ticks > DateTimeOffset.MaxValue.UtcTicks ||
            !RunId.TryParse(text[(dot + 1)..], out var runId))
            return false;
        cursor = new RunCursor(new DateTimeOffset(ticks, TimeSpan.Zero), runId);
        return true;
    }
}
