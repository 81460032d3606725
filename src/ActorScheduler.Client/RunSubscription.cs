using System.Threading.Channels;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client;

/// <summary>
/// The finished runs of one job, as they end, from <see cref="ActorSchedulerClient.SubscribeAsync"/> on. Enumerate it
/// (once) with <c>await foreach</c>; dispose it to stop. Each run comes at most once. A run that ends while the
/// client has no connection to the cluster (a contact node died and the client is moving to another) is not
/// delivered: read <see cref="ActorSchedulerClient.GetRunsAsync"/> when every run matters.
/// </summary>
public sealed class RunSubscription : IAsyncEnumerable<RunView>, IAsyncDisposable
{
    /// <summary>Runs held for a consumer that falls behind; beyond it the oldest are dropped.</summary>
    public const int Capacity = 10_000;

    private const int RememberedRuns = 1_024;

    private readonly Channel<RunView> _runs = Channel.CreateBounded<RunView>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

    // Touched only by the outcome listener actor (Deliver), so no locking.
    private readonly HashSet<string> _seen = [];
    private readonly Queue<string> _seenOrder = new();
    private readonly Action<RunSubscription> _end;

    internal RunSubscription(JobId jobId, Action<RunSubscription> end) => (JobId, _end) = (jobId, end);

    /// <summary>The job whose runs this subscription streams.</summary>
    public JobId JobId { get; }

    /// <summary>
    /// A run can arrive twice when the client moved to another node while the old one still held its
    /// subscription; the repeat is dropped here.
    /// </summary>
    internal void Deliver(RunView run)
    {
        if (!_seen.Add(run.RunId))
            return;
        _seenOrder.Enqueue(run.RunId);
        if (_seenOrder.Count > RememberedRuns)
            _seen.Remove(_seenOrder.Dequeue());
        _runs.Writer.TryWrite(run);
    }

    internal void Complete(Exception? error = null) => _runs.Writer.TryComplete(error);

    /// <summary>The runs as they finish for good, until the subscription is disposed.</summary>
    public IAsyncEnumerator<RunView> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _runs.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Ends the subscription with the cluster and completes the stream.</summary>
    public ValueTask DisposeAsync()
    {
        _end(this);
        Complete();
        return ValueTask.CompletedTask;
    }
}
