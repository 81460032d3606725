namespace ActorScheduler.Core.Jobs;

/// <summary>
/// What a job's events did to its runs, for the runs read model: every run they touched, as the state after them holds
/// it, with the output its <see cref="RunFinished"/> recorded (the state keeps no output). Pure, so the live path (after
/// a command's events are stored) and a rebuild from the journal (event by event) derive the same rows.
/// </summary>
public static class RunChanges
{
    /// <summary>A run as it is now; <paramref name="Output"/> is set only by the events that finished it.</summary>
    public sealed record Changed(RunRecord Run, string? Output);

    /// <summary>The runs <paramref name="events"/> touched, each once, as <paramref name="after"/> (the state after them) holds them.</summary>
    public static IReadOnlyList<Changed> Of(JobState after, IReadOnlyList<JobEvent> events)
    {
        List<Changed>? changed = null;
        foreach (var e in events)
        {
            if (RunOf(e) is not { } runId || after.FindRun(runId) is not { } run)
                continue; // not about a run, or about one the state does not hold (a stale report it ignored)
            // A finish applied to an earlier run of the same id (never twice in one journal) must not lend it this output.
            var output = e is RunFinished finished && run.FinishedAt == finished.At ? finished.Output : null;
            changed ??= new List<Changed>(2);
            var at = changed.FindIndex(c => c.Run.RunId == runId);
            if (at < 0)
                changed.Add(new Changed(run, output));
            else
                changed[at] = new Changed(run, output ?? changed[at].Output);
        }
        return changed ?? (IReadOnlyList<Changed>)[];
    }

    private static RunId? RunOf(JobEvent e) => e switch
    {
        RunDispatched d => d.RunId,
        RunRedispatched r => r.RunId,
        RunStarted s => s.RunId,
        RunProgressed p => p.RunId,
        RunCancelRequested c => c.RunId,
        RunFinished f => f.RunId,
        _ => null,
    };
}
