using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Tests;

/// <summary>The group execution under the journal's hot paths: one batch at a time, gathering what arrives meanwhile.</summary>
public sealed class SingleFlightBatcherSpecs
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Runs batches (doubling each request) and records their sizes; the first batch waits for <see cref="Release"/>.</summary>
    private sealed class Recording
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();
        private readonly List<int> _sizes = new();

        public IReadOnlyList<int> Sizes
        {
            get { lock (_sizes) return _sizes.ToList(); }
        }

        public Task FirstStarted => _firstStarted.Task;

        public void Release() => _release.Set();

        public IReadOnlyList<int> Run(IReadOnlyList<int> batch)
        {
            lock (_sizes)
                _sizes.Add(batch.Count);
            _firstStarted.TrySetResult();
            if (!_release.Wait(Bound))
                throw new TimeoutException("the test never released the first batch");
            if (batch.Contains(-1))
                throw new InvalidOperationException("a request of -1 fails its batch");
            return batch.Select(n => n * 2).ToList();
        }
    }

    [Fact]
    public async Task Should_run_a_lone_request_at_once_and_gather_those_made_meanwhile_into_the_next_batch()
    {
        var recording = new Recording();
        var batcher = new SingleFlightBatcher<int, int>(recording.Run, maxBatch: 100);

        var first = batcher.Enqueue(1);
        await recording.FirstStarted.WaitAsync(Bound);
        var later = Enumerable.Range(2, 5).Select(batcher.Enqueue).ToList();
        recording.Release();

        Assert.Equal(2, await first.WaitAsync(Bound));
        var answers = await Task.WhenAll(later).WaitAsync(Bound);
        Assert.Equal([4, 6, 8, 10, 12], answers);
        Assert.Equal([1, 5], recording.Sizes);
    }

    [Fact]
    public async Task Should_split_what_gathered_into_batches_of_at_most_the_maximum()
    {
        var recording = new Recording();
        var batcher = new SingleFlightBatcher<int, int>(recording.Run, maxBatch: 3);

        var first = batcher.Enqueue(0);
        await recording.FirstStarted.WaitAsync(Bound);
        var later = Enumerable.Range(1, 7).Select(batcher.Enqueue).ToList();
        recording.Release();

        await first.WaitAsync(Bound);
        var answers = await Task.WhenAll(later).WaitAsync(Bound);
        Assert.Equal(Enumerable.Range(1, 7).Select(n => n * 2), answers);
        Assert.Equal([1, 3, 3, 1], recording.Sizes);
    }

    [Fact]
    public async Task Should_fail_only_the_requests_of_a_failing_batch_and_run_the_next_one_afresh()
    {
        var recording = new Recording();
        var batcher = new SingleFlightBatcher<int, int>(recording.Run, maxBatch: 2);

        var first = batcher.Enqueue(1);
        await recording.FirstStarted.WaitAsync(Bound);
        var failing = new[] { batcher.Enqueue(-1), batcher.Enqueue(2) };
        var after = batcher.Enqueue(3);
        recording.Release();

        Assert.Equal(2, await first.WaitAsync(Bound));
        foreach (var request in failing)
            await Assert.ThrowsAsync<InvalidOperationException>(() => request.WaitAsync(Bound));
        Assert.Equal(6, await after.WaitAsync(Bound));
    }

    [Fact]
    public async Task Should_fail_the_batch_when_it_is_answered_with_the_wrong_number_of_results()
    {
        var batcher = new SingleFlightBatcher<int, int>(batch => [], maxBatch: 10);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.Enqueue(1).WaitAsync(Bound));
        Assert.Contains("1 requests", error.Message);
    }
}
