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
        _pending[row.JobId] = _pending.TryGetValue(row.JobId, out var older) && older.Version > row.Version ? older : Merge(older, row);
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

    // A row that does not change the triggers must not lose a trigger change still waiting in the batch.
    private static JobIndexRow Merge(JobIndexRow? older, JobIndexRow row) =>
        row.TriggerKeys is null && older?.TriggerKeys is { } keys ? row with { TriggerKeys = keys } : row;
}
