using ActorScheduler.Bench.Measure;

namespace ActorScheduler.Bench.Systems;

/// <summary>
/// A job as every scenario describes it to both systems: a first occurrence, and for recurring jobs an
/// interval and optionally how many runs in all (null: forever). The id's prefix names its group.
/// </summary>
public sealed record BenchJob(string Id, DateTimeOffset First, TimeSpan? Every = null, int? Runs = null)
{
    public string Group => Fire.GroupOf(Id);

    public static string IdOf(string group, int number) => $"{group}-{number:D7}";
}

/// <summary>Defines one job with one call, the way an application talks to the system.</summary>
public interface IJobClient
{
    Task CreateAsync(BenchJob job, CancellationToken cancel);
}

/// <summary>
/// One scheduler under test: ActorScheduler embedded, or Quartz.NET with its ADO store. Its jobs do no work;
/// each start is recorded in <see cref="Fires"/> with the time it was due.
/// </summary>
public interface ISchedulerUnderTest : IJobClient, IAsyncDisposable
{
    FireLog Fires { get; }

    /// <summary>
    /// Many jobs by the quickest route the system offers, for a scenario's set-up; stops starting new work
    /// once <paramref name="limit"/> has passed.
    /// </summary>
    Task<DriveResult> CreateManyAsync(IReadOnlyList<BenchJob> jobs, int concurrency, TimeSpan limit);

    /// <summary>
    /// How many of the <paramref name="created"/> one-off jobs of <paramref name="group"/> have finished with the
    /// outcome committed to the database.
    /// </summary>
    Task<int> CountFinishedAsync(string group, int created, CancellationToken cancel);
}
