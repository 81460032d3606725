using System.Collections.Concurrent;

namespace ActorScheduler.Bench.Measure;

/// <summary>One run as the job saw it start: when it was due and when it actually began.</summary>
public readonly record struct Fire(string JobId, DateTimeOffset ScheduledFor, DateTimeOffset StartedAt)
{
    public TimeSpan Lateness => StartedAt - ScheduledFor;

    /// <summary>Job ids are "group-number"; the group names the scenario phase (warm, burst, steady, …).</summary>
    public string Group => GroupOf(JobId);

    public static string GroupOf(string jobId) => jobId.IndexOf('-') is > 0 and var dash ? jobId[..dash] : jobId;
}

/// <summary>
/// Every start seen by the recording job of either system, grouped by job-id prefix. Record is called from
/// runner threads; readers take snapshots.
/// </summary>
public sealed class FireLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fire>> _groups = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Fire>> _firsts = new();

    private int _total;

    /// <summary>Starts recorded in all groups.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <param name="startedAt">When the job began, if it noted that before calling (default: now).</param>
    public void Record(string jobId, DateTimeOffset scheduledFor, DateTimeOffset? startedAt = null)
    {
        var fire = new Fire(jobId, scheduledFor, startedAt ?? DateTimeOffset.UtcNow);
        Interlocked.Increment(ref _total);
        _groups.GetOrAdd(fire.Group, _ => new ConcurrentQueue<Fire>()).Enqueue(fire);
        FirstTask(fire.Group).TrySetResult(fire);
    }

    public int Count(string group) => _groups.TryGetValue(group, out var fires) ? fires.Count : 0;

    public IReadOnlyList<Fire> Of(string group) => _groups.TryGetValue(group, out var fires) ? fires.ToArray() : [];

    /// <summary>Completes with the first start recorded in <paramref name="group"/>.</summary>
    public Task<Fire> First(string group) => FirstTask(group).Task;

    /// <summary>Waits until <paramref name="group"/> has <paramref name="count"/> starts; false if the deadline came first.</summary>
    public async Task<bool> WaitForAsync(string group, int count, DateTimeOffset deadline, CancellationToken cancel = default)
    {
        while (Count(group) < count)
        {
            if (DateTimeOffset.UtcNow >= deadline)
                return false;
            await Task.Delay(20, cancel);
        }
        return true;
    }

    private TaskCompletionSource<Fire> FirstTask(string group) =>
        _firsts.GetOrAdd(group, _ => new TaskCompletionSource<Fire>(TaskCreationOptions.RunContinuationsAsynchronously));
}
