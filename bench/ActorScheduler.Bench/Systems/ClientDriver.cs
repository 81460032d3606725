using System.Diagnostics;

namespace ActorScheduler.Bench.Systems;

/// <summary>What a batch of client calls achieved before it finished or ran out of time.</summary>
public sealed record DriveResult(int Created, int Failed, TimeSpan Elapsed, bool TimedOut, string? FirstError)
{
    public double Rate => Created / Math.Max(Elapsed.TotalSeconds, 1e-6);
}

/// <summary>
/// Issues one client call per job with <c>concurrency</c> calls in flight, until all are done or the time limit
/// passes (calls in flight then finish, none new start). Logs progress every few seconds.
/// </summary>
public static class ClientDriver
{
    public static async Task<DriveResult> CreateAllAsync(
        IJobClient client, IReadOnlyList<BenchJob> jobs, int concurrency, TimeSpan limit, string label, CancellationToken cancel = default)
    {
        var (next, created, failed) = (-1, 0, 0);
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(limit);

        async Task Worker()
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var i && i < jobs.Count)
            {
                try
                {
                    await client.CreateAsync(jobs[i], cancel);
                    Interlocked.Increment(ref created);
                }
                catch (Exception e) when (!cancel.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(Worker, CancellationToken.None)).ToList();
        var all = Task.WhenAll(workers);
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)) != all)
            Progress.Say($"  {label}: {Volatile.Read(ref created):N0} of {jobs.Count:N0} created ({clock.Elapsed.TotalSeconds:F0} s)");
        await all;
        clock.Stop();
        return new DriveResult(created, failed, clock.Elapsed, created + failed < jobs.Count, firstError);
    }
}
