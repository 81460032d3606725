using System.Collections.Specialized;
using System.Data.Common;
using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Storage;
using Microsoft.Data.Sqlite;
using Quartz;
using Quartz.Impl.AdoJobStore.Common;

namespace ActorScheduler.Bench.Systems;

/// <summary>
/// Quartz.NET 4.7.3 with its persistent ADO.NET job store (LocalTransactionJobStore, 3.x's JobStoreTX) on a
/// fresh database, configured with its documented flat properties. Jobs are durable; each has one simple
/// trigger of the same name.
/// </summary>
public sealed class QuartzSystem : ISchedulerUnderTest
{
    /// <summary>
    /// Quartz's default pool of 10 and batches of as many triggers, so one acquisition can fill the pool: the
    /// jobs do no work, so the threads wait on the database, not on the two cores.
    /// </summary>
    public const int Threads = 10;

    /// <summary>Triggers per <c>ScheduleJobs</c> call (one transaction) during set-up.</summary>
    private const int SetupBatch = 500;

    private readonly StandaloneSchedulerFactory _factory;
    private readonly IScheduler _scheduler;
    private readonly QuartzDatabase _database;

    private QuartzSystem(StandaloneSchedulerFactory factory, IScheduler scheduler, QuartzDatabase database, FireLog fires) =>
        (_factory, _scheduler, _database, Fires) = (factory, scheduler, database, fires);

    public FireLog Fires { get; }

    public string SchedulerName => _scheduler.SchedulerName;

    public static async Task<QuartzSystem> StartAsync(QuartzDatabase database, FireLog fires, string instanceName)
    {
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = instanceName,
            ["quartz.scheduler.instanceId"] = "NON_CLUSTERED",
            ["quartz.scheduler.batchTriggerAcquisitionMaxCount"] = Threads.ToString(),
            ["quartz.threadPool.maxConcurrency"] = Threads.ToString(),
            ["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.LocalTransactionJobStore, Quartz",
            ["quartz.jobStore.driverDelegateType"] = database.DriverDelegateType,
            ["quartz.jobStore.tablePrefix"] = "QRTZ_",
            ["quartz.jobStore.dataSource"] = "default",
            ["quartz.jobStore.useProperties"] = "true",
            ["quartz.jobStore.misfireThreshold"] = "60000",
            ["quartz.dataSource.default.provider"] = database.Provider,
            ["quartz.dataSource.default.connectionString"] = database.ConnectionString,
            ["quartz.serializer.type"] = "json",
        };
        var builder = QuartzSchedulerBuilder.Create(quartz =>
        {
            quartz.UseJobFactory(new RecordingJobFactory(fires));
            if (database.Kind == DatabaseKind.Sqlite)
                quartz.UsePersistentStore(store => store.UseConnectionProvider(_ => new SqliteProvider(database.ConnectionString)));
        }).UseProperties(properties);
        var factory = builder.Build();
        var scheduler = await factory.GetScheduler();
        await scheduler.Start();
        return new QuartzSystem(factory, scheduler, database, fires);
    }

    /// <summary>The client API: one <c>IScheduler.ScheduleJob</c> (job and trigger, one transaction) per job.</summary>
    public async Task CreateAsync(BenchJob job, CancellationToken cancel) =>
        await _scheduler.ScheduleJob(Detail(job), Trigger(job), default, cancel);

    /// <summary>Quartz's bulk call: <c>ScheduleJobs</c> with <see cref="SetupBatch"/> jobs per transaction.</summary>
    public async Task<DriveResult> CreateManyAsync(IReadOnlyList<BenchJob> jobs, int concurrency, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (created, lastReport) = (0, TimeSpan.Zero);
        foreach (var chunk in jobs.Chunk(SetupBatch))
        {
            if (clock.Elapsed >= limit)
                return new DriveResult(created, 0, clock.Elapsed, TimedOut: true, null);
            var batch = chunk.ToDictionary(Detail, job => (IReadOnlyCollection<ITrigger>)[Trigger(job)]);
            await _scheduler.ScheduleJobs(batch, default, CancellationToken.None);
            created += chunk.Length;
            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Progress.Say($"  Quartz set-up: {created:N0} of {jobs.Count:N0} created ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
        return new DriveResult(created, 0, clock.Elapsed, TimedOut: false, null);
    }

    /// <summary>
    /// Quartz keeps no run history in this configuration: a one-off trigger's row is deleted in the transaction
    /// that records its job as complete, so the finished ones are those whose trigger row is gone.
    /// </summary>
    public async Task<int> CountFinishedAsync(string group, int created, CancellationToken cancel) =>
        created - await _database.CountAsync("qrtz_triggers", SchedulerName, group, cancel);

    private static IJobDetail Detail(BenchJob job) =>
        JobBuilder.Create<RecordingJob>().WithIdentity(job.Id, job.Group).StoreDurably().Build();

    private static ITrigger Trigger(BenchJob job)
    {
        var trigger = TriggerBuilder.Create().WithIdentity(job.Id, job.Group).ForJob(job.Id, job.Group).StartAt(job.First);
        if (job.Every is { } every)
            trigger = trigger.WithSimpleSchedule(s =>
            {
                s.WithInterval(every);
                if (job.Runs is { } runs)
                    s.WithRepeatCount(runs - 1);
                else
                    s.RepeatForever();
            });
        return trigger.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.Shutdown(waitForJobsToComplete: true);
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Quartz's SQLite provider with the per-connection pragmas ActorScheduler's own connections get
    /// (busy_timeout 5 s, synchronous=NORMAL in WAL mode), so both stores make the same durability promise.
    /// </summary>
    private sealed class SqliteProvider(string connectionString) : DbProvider("SQLite-Microsoft", connectionString)
    {
        public override DbConnection CreateConnection()
        {
            var connection = base.CreateConnection();
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState != System.Data.ConnectionState.Open)
                    return;
                using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;";
                pragma.ExecuteNonQuery();
            };
            return connection;
        }
    }
}
