using System.Collections;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// The scale population, computed by index so that a million of them take no memory in the process being
/// measured: job 0 is the sentinel (every second, from two seconds after <paramref name="origin"/>) whose
/// starts show the system is firing; the rest recur daily, their first occurrences spread over the day that
/// begins an hour after <paramref name="origin"/>, so none is due while the idle CPU is measured.
/// </summary>
public sealed class ScaleJobs(int count, DateTimeOffset origin) : IReadOnlyList<BenchJob>
{
    public const string SentinelGroup = "sentinel";

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public int Count => count;

    public BenchJob this[int index] => index == 0
        ? new BenchJob(BenchJob.IdOf(SentinelGroup, 0), origin.AddSeconds(2), TimeSpan.FromSeconds(1))
        : new BenchJob(BenchJob.IdOf("scale", index), origin.AddHours(1) + Day * index / count, Day);

    public IEnumerator<BenchJob> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
