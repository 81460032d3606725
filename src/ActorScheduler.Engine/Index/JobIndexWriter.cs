using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// Group commit for index rows, a shell over <see cref="IndexBatch"/>: jobs tell it their latest row (with the rows
/// of the runs its events changed), and what has gathered is written in one transaction, one flush at a time. A
/// failed batch is retried. Rows are derived data: the few lost to a crash (the last flush interval) are found at
/// the next start by <see cref="JobIndexRepair"/> and re-written. From its start until done, it also has the runs of
/// jobs older than the runs read model filled in, in the background (<see cref="RunBackfill"/>).
/// </summary>
public sealed class JobIndexWriter : ReceiveActor, IWithTimers
{
    private sealed record Flushed(IReadOnlyList<JobIndexRow> Batch, Exception? Error);

    private sealed record FlushTick;

    /// <summary>Rows per transaction at most; a full batch is written at once.</summary>
    public const int MaxBatch = 2_000;

    /// <summary>How long rows gather before a flush when the batch is not full.</summary>
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IndexTables _tables;
    private readonly IndexBatch _batch = new(MaxBatch);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _waitingForFlush = new();
    private readonly CancellationTokenSource _stopping = new();

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IndexTables tables) => Akka.Actor.Props.Create(() => new JobIndexWriter(tables));

    public JobIndexWriter(IndexTables tables)
    {
        _tables = tables;
        Receive<JobIndexRow>(row =>
        {
            if (_batch.Add(row)) Flush();
            else if (!Timers.IsTimerActive("flush")) Timers.StartSingleTimer("flush", new FlushTick(), FlushDelay);
        });
        Receive<FlushTick>(_ => Flush());
        Receive<FlushIndex>(_ =>
        {
            _waitingForFlush.Add(Sender);
            Flush();
            AnswerIfFlushed();
        });
        Receive<Flushed>(done =>
        {
            _batch.Flushed(done.Batch, failed: done.Error is not null);
            if (done.Error is not null)
            {
                // While the database is unavailable this repeats every second, one line each, without the stack trace;
                // the rows wait (one per job at most: a newer row replaces an older one).
                if (StorageFailures.Unavailability(done.Error) is { } cause)
                    _log.Warning("Writing {0} job index rows failed, the database is unavailable ({1}); retrying in {2}",
                        done.Batch.Count, StorageFailures.Describe(cause), RetryDelay);
                else
                    _log.Error(done.Error, "Writing {0} job index rows failed; retrying in {1}", done.Batch.Count, RetryDelay);
                Timers.StartSingleTimer("flush", new FlushTick(), RetryDelay);
                return;
            }
            Flush();
            AnswerIfFlushed();
        });
    }

    protected override void PreStart() => _ = RunBackfill.Run(_tables.Runs, _log, _stopping.Token);

    protected override void PostStop() => _stopping.Cancel();

    private void Flush()
    {
        if (_batch.TakeForFlush() is not { } rows)
            return;
        Task.Run(() =>
        {
            try
            {
                _tables.Upsert(rows);
                return new Flushed(rows, null);
            }
            catch (Exception e)
            {
                return new Flushed(rows, e);
            }
        }).PipeTo(Self);
    }

    private void AnswerIfFlushed()
    {
        if (!_batch.Idle)
            return;
        _waitingForFlush.ForEach(waiting => waiting.Tell(IndexFlushed.Instance));
        _waitingForFlush.Clear();
    }
}
