using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>Steps before a measurement: warm-up, and picking a due instant that set-up will not overrun.</summary>
public static class SetUp
{
    /// <summary>Calls in flight on set-up routes that are one call per job (ours; Quartz's is one batch at a time).</summary>
    public const int Concurrency = 256;

    /// <summary>
    /// Creates <paramref name="count"/> one-off jobs through <paramref name="client"/> due in a few seconds and
    /// waits until they have run, so that creation, firing and the database are warm before anything is timed.
    /// </summary>
    public static async Task WarmUpAsync(IJobClient client, FireLog fires, int count, int concurrency, string system)
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(3);
        var jobs = Enumerable.Range(0, count).Select(i => new BenchJob(BenchJob.IdOf("warm", i), due)).ToList();
        await ClientDriver.CreateAllAsync(client, jobs, concurrency, TimeSpan.FromSeconds(60), $"{system} warm-up");
        var ran = await fires.WaitForAsync("warm", count, DateTimeOffset.UtcNow.AddSeconds(60));
        Progress.Say($"  {system} warm-up: {fires.Count("warm")} of {count} ran{(ran ? "" : " within 60 s (going on)")}");
    }

    /// <summary>
    /// Learns the pace of the system's set-up route from a few probe jobs (due in a day, so they never run during
    /// the measurement), then returns an instant late enough for <paramref name="count"/> jobs to be created
    /// before it: the estimate × 1.5 plus 3 s.
    /// </summary>
    public static async Task<DateTimeOffset> DueAfterSetUpAsync(ISchedulerUnderTest system, int count, int concurrency)
    {
        var probes = Math.Clamp(count / 20, 20, 500);
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var jobs = Enumerable.Range(0, probes).Select(i => new BenchJob(BenchJob.IdOf("probe", i), later)).ToList();
        var probe = await system.CreateManyAsync(jobs, concurrency, TimeSpan.FromMinutes(2));
        var seconds = count / Math.Max(probe.Rate, 1) * 1.5 + 3;
        return DateTimeOffset.UtcNow.AddSeconds(Math.Max(seconds, 5));
    }

    /// <summary>A note for the table when set-up finished after the due instant (the measurement then includes it).</summary>
    public static string? Overrun(DateTimeOffset due, DateTimeOffset setUpDone) =>
        setUpDone > due ? $"set-up overran the due instant by {(setUpDone - due).TotalSeconds:F1} s" : null;
}
