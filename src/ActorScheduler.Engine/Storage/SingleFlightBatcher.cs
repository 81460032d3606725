namespace ActorScheduler.Engine.Storage;

/// <summary>
/// Group execution without a fixed wait: a request made while no batch is running starts one at once; requests
/// made while one runs gather and go together, up to <c>maxBatch</c>, when it ends. Under load the batch size
/// follows the load (one query for dozens of recoveries); when idle a request costs no added latency.
/// </summary>
/// <remarks>
/// <c>run</c> is synchronous (database reads) and runs on a thread-pool thread, one batch at a time; it answers
/// each request in order. A batch that throws fails each of its requests with that exception, and the next batch
/// is tried afresh. Callers' continuations never run on the batch thread.
/// </remarks>
public sealed class SingleFlightBatcher<TRequest, TResult>(Func<IReadOnlyList<TRequest>, IReadOnlyList<TResult>> run, int maxBatch)
{
    private readonly Lock _gate = new();
    private List<(TRequest Request, TaskCompletionSource<TResult> Answer)> _queue = new();
    private bool _running;

    public Task<TResult> Enqueue(TRequest request)
    {
        var answer = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _queue.Add((request, answer));
            start = !_running;
            _running = true;
        }
        if (start)
            ThreadPool.UnsafeQueueUserWorkItem(static batcher => batcher.Drain(), this, preferLocal: false);
        return answer.Task;
    }

    private void Drain()
    {
        while (true)
        {
            List<(TRequest Request, TaskCompletionSource<TResult> Answer)> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }
                if (_queue.Count <= maxBatch)
                {
                    batch = _queue;
                    _queue = new();
                }
                else
                {
                    batch = _queue.GetRange(0, maxBatch);
                    _queue.RemoveRange(0, maxBatch);
                }
            }
            try
            {
                var results = run(batch.ConvertAll(entry => entry.Request));
                if (results.Count != batch.Count)
                    throw new InvalidOperationException($"A batch of {batch.Count} requests was answered with {results.Count} results.");
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Answer.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var entry in batch)
                    entry.Answer.TrySetException(e);
            }
        }
    }
}
