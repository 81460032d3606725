using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// Group commit for index rows: jobs tell it their latest row, it writes what has gathered in one transaction,
/// one flush at a time, newest row per job winning. A failed batch goes back into the queue and is retried.
/// Rows are derived data: the few lost to a crash (the last flush interval) are found at the next start by
/// <see cref="JobIndexRepair"/> and re-written by their jobs.
/// </summary>
public sealed class JobIndexWriter : ReceiveActor, IWithTimers
{
    public sealed record Flushed(IReadOnlyList<JobIndexRow> Batch, Exception? Error);

    /// <summary>Write everything gathered so far and answer <see cref="Akka.Done"/> (used at shutdown).</summary>
    public sealed record FlushAll;

    private sealed record FlushTick;

    public const int MaxBatch = 2_000;
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly JobIndexStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<string, JobIndexRow> _pending = new();
    private bool _flushing;
    private readonly List<IActorRef> _waitingForFlush = new();

    public ITimerScheduler Timers { get; set; } = null!;

    public JobIndexWriter(JobIndexStore store)
    {
        _store = store;
        Receive<JobIndexRow>(row =>
        {
            Add(row);
            if (_pending.Count >= MaxBatch) Flush();
            else if (!Timers.IsTimerActive("flush")) Timers.StartSingleTimer("flush", new FlushTick(), FlushDelay);
        });
        Receive<FlushTick>(_ => Flush());
        Receive<FlushAll>(_ =>
        {
            _waitingForFlush.Add(Sender);
            Flush();
            AnswerIfFlushed();
        });
        Receive<Flushed>(done =>
        {
            _flushing = false;
            if (done.Error is not null)
            {
                _log.Error(done.Error, "Writing {0} job index rows failed; retrying in {1}", done.Batch.Count, RetryDelay);
                foreach (var row in done.Batch)
                    Add(row);
                Timers.StartSingleTimer("flush", new FlushTick(), RetryDelay);
                return;
            }
            if (_pending.Count > 0) Flush();
            AnswerIfFlushed();
        });
    }

    public static Props Props(JobIndexStore store) => Akka.Actor.Props.Create(() => new JobIndexWriter(store));

    private void Add(JobIndexRow row) =>
        _pending[row.JobId] = _pending.TryGetValue(row.JobId, out var older) && older.Version > row.Version ? older : Merge(older, row);

    private void AnswerIfFlushed()
    {
        if (_flushing || _pending.Count > 0)
            return;
        _waitingForFlush.ForEach(waiting => waiting.Tell(Akka.Done.Instance));
        _waitingForFlush.Clear();
    }

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
                return new Flushed(batch, null);
            }
            catch (Exception e)
            {
                return new Flushed(batch, e);
            }
        }).PipeTo(Self);
    }
}
