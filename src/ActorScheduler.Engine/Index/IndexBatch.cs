using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// The index writer's group commit, without an actor: rows gather per job (the newest version wins), one flush is
/// in progress at a time, and a failed flush's rows go back to be written again — unless a newer row of the same job
/// arrived meanwhile.
/// </summary>
public sealed class IndexBatch(int maxBatch)
{
    private Dictionary<JobId, JobIndexRow> _pending = new();

    public bool Flushing { get; private set; }

    public int Pending => _pending.Count;

    /// <summary>Nothing gathered and nothing being written.</summary>
    public bool Idle => !Flushing && _pending.Count == 0;

    /// <summary>Adds a job's latest row; answers whether the batch is full (flush now, not after the delay).</summary>
    public bool Add(JobIndexRow row)
    {
        _pending[row.JobId] = _pending.TryGetValue(row.JobId, out var pending) ? Merge(pending, row) : row;
        return _pending.Count >= maxBatch;
    }

    /// <summary>The rows to write now, or null while a flush is in progress or nothing has gathered.</summary>
    public IReadOnlyList<JobIndexRow>? TakeForFlush()
    {
        if (Flushing || _pending.Count == 0)
            return null;
        Flushing = true;
        var batch = _pending.Values.ToList();
        _pending = new Dictionary<JobId, JobIndexRow>();
        return batch;
    }

    /// <summary>The flush ended; a failed one's rows are gathered again (newer rows of the same jobs win).</summary>
    public void Flushed(IReadOnlyList<JobIndexRow> batch, bool failed)
    {
        Flushing = false;
        if (failed)
            foreach (var row in batch)
                Add(row);
    }

    /// <summary>
    /// The newer of two rows of one job (by version; the one added last on a tie). A row that does not change the
    /// triggers (null keys) must not lose a trigger change of the other, whichever arrived first: rows of a failed
    /// flush come back after newer ones. Run rows are the other's too: each row carries only the runs its own
    /// events changed, and the job row's version promises every run row up to it.
    /// </summary>
    private static JobIndexRow Merge(JobIndexRow pending, JobIndexRow row)
    {
        var (newer, older) = pending.Version > row.Version ? (pending, row) : (row, pending);
        var merged = newer.TriggerKeys is null && older.TriggerKeys is { } keys ? newer with { TriggerKeys = keys } : newer;
        return older.Runs is { Count: > 0 } olderRuns ? merged with { Runs = MergeRuns(olderRuns, newer.Runs) } : merged;
    }

    /// <summary>The runs of both rows; of a run in both, its newer row (by version), keeping an output either recorded.</summary>
    private static IReadOnlyList<RunRow> MergeRuns(IReadOnlyList<RunRow> older, IReadOnlyList<RunRow>? newer)
    {
        if (newer is not { Count: > 0 })
            return older;
        var byRun = new Dictionary<RunId, RunRow>(older.Count + newer.Count);
        foreach (var run in older.Concat(newer))
        {
            var id = run.Run.RunId;
            if (!byRun.TryGetValue(id, out var kept))
                byRun[id] = run;
            else
            {
                var (latest, earlier) = run.Version >= kept.Version ? (run, kept) : (kept, run);
                byRun[id] = latest.Output is null && earlier.Output is not null ? latest with { Output = earlier.Output } : latest;
            }
        }
        return byRun.Values.ToList();
    }
}
