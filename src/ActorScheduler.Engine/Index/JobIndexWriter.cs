using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// Group commit for index rows: jobs tell it their latest row, it writes what has gathered in one transaction,
/// one flush at a time, newest row per job winning. Rows are derived data: a row lost to a crash is re-written
/// when its job next recovers (see <c>JobEntity</c>).
/// </summary>
public sealed class JobIndexWriter : ReceiveActor, IWithTimers
{
    public sealed record Flushed(int Count, Exception? Error);

    private sealed record FlushTick;

    public const int MaxBatch = 2_000;
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(10);

    private readonly JobIndexStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<string, JobIndexRow> _pending = new();
    private bool _flushing;

    public ITimerScheduler Timers { get; set; } = null!;

    public JobIndexWriter(JobIndexStore store)
    {
        _store = store;
        Receive<JobIndexRow>(row =>
        {
            _pending[row.JobId] = _pending.TryGetValue(row.JobId, out var older) && older.Version > row.Version ? older : Merge(older, row);
            if (_pending.Count >= MaxBatch) Flush();
            else if (!Timers.IsTimerActive("flush")) Timers.StartSingleTimer("flush", new FlushTick(), FlushDelay);
        });
        Receive<FlushTick>(_ => Flush());
        Receive<Flushed>(done =>
        {
            _flushing = false;
            if (done.Error is not null)
                _log.Error(done.Error, "Writing {0} job index rows failed; they are re-written when their jobs next change or recover", done.Count);
            if (_pending.Count > 0) Flush();
        });
    }

    public static Props Props(JobIndexStore store) => Akka.Actor.Props.Create(() => new JobIndexWriter(store));

    // A row that does not change the triggers must not lose a trigger change still waiting in the batch.
    private static JobIndexRow Merge(JobIndexRow? older, JobIndexRow row) =>
        row.TriggerKeys is null && older?.TriggerKeys is { } keys ? row with { TriggerKeys = keys } : row;

    private void Flush()
    {
        if (_flushing || _pending.Count == 0)
            return;
        _flushing = true;
        var batch = _pending.Values.ToList();
        _pending = new Dictionary<string, JobIndexRow>();
        Task.Run(() =>
        {
            try
            {
                _store.Upsert(batch);
                return new Flushed(batch.Count, null);
            }
            catch (Exception e)
            {
                return new Flushed(batch.Count, e);
            }
        }).PipeTo(Self);
    }
}
