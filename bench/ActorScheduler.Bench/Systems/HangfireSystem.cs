using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Server;
using Hangfire.Storage.SQLite;
using SQLite;

namespace ActorScheduler.Bench.Systems;

/// <summary>
/// Hangfire 1.8.25 with one in-process <see cref="BackgroundJobServer"/> on a fresh store: Hangfire.Storage.SQLite
/// 0.4.3 or Hangfire.PostgreSql 1.21.1. One-off jobs are delayed jobs (<c>Schedule</c>); recurring jobs are
/// Hangfire recurring jobs with a six-field (seconds) cron. Hangfire names delayed jobs itself, so the bench's id
/// travels as the job's first argument.
/// </summary>
public sealed class HangfireSystem : ISchedulerUnderTest
{
    /// <summary>Workers, as Quartz's pool (and Hangfire's own default on 2 cores: 5 per core).</summary>
    public const int Workers = 10;

    /// <summary>
    /// How often the delayed-job and recurring-job schedulers look for due work, and how often an idle worker asks
    /// the queue again. Hangfire takes any positive interval for the schedulers (zero makes the recurring scheduler
    /// wait for the next whole minute); Hangfire.PostgreSql refuses a queue interval under 50 ms. 50 ms for all.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Delayed and recurring jobs moved to the queue in parallel by each scheduler (Hangfire's default is 1; only
    /// storages that fetch due entries in batches use it: Hangfire.PostgreSql does, Hangfire.Storage.SQLite does not).
    /// On PostgreSQL a 1,000-job burst drained at 85 fires/s with 1, about 160 with 4 and 170 with 10; 20 workers
    /// instead of 10 changed nothing (the delayed-job scheduler is the bottleneck).
    /// </summary>
    public const int SchedulerParallelism = 4;

    private static readonly Lazy<bool> Configured = new(() =>
    {
        // The settings Hangfire 1.8 recommends for new applications.
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            // Its warnings and errors (failed jobs, retries, storage trouble) go with the progress lines to stderr.
            .UseColouredConsoleLogProvider(Hangfire.Logging.LogLevel.Warn);
        return true;
    });

    private readonly JobStorage _storage;
    private readonly BackgroundJobClient _client;
    private readonly RecurringJobManager _recurring;
    private readonly BackgroundJobServer? _server;
    private readonly Dictionary<string, long> _startedBefore = [];

    private HangfireSystem(JobStorage storage, BackgroundJobServer? server, FireLog fires)
    {
        (_storage, _server, Fires) = (storage, server, fires);
        _client = new BackgroundJobClient(storage);
        _recurring = new RecurringJobManager(storage);
    }

    public FireLog Fires { get; }

    public static Task<HangfireSystem> StartAsync(HangfireDatabase database, FireLog fires, string serverName)
    {
        _ = Configured.Value;
        var storage = CreateStorage(database);
        var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = serverName,
            WorkerCount = Workers,
            SchedulePollingInterval = PollInterval,
            MaxDegreeOfParallelismForSchedulers = SchedulerParallelism,
            Activator = new RecorderActivator(fires),
        }, storage);
        return Task.FromResult(new HangfireSystem(storage, server, fires));
    }

    private static JobStorage CreateStorage(HangfireDatabase database)
    {
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // The storage's own connection (its flags, ticks, a 10 s busy timeout; it sets WAL itself) plus
            // synchronous=NORMAL, which ActorScheduler's and Quartz's files get too: the same durability promise.
            var factory = new SQLiteDbConnectionFactory(() =>
            {
                var connection = new SQLiteConnection(database.Location,
                    SQLiteOpenFlags.ReadWrite | SQLiteOpenFlags.Create | SQLiteOpenFlags.FullMutex, storeDateTimeAsTicks: true)
                {
                    BusyTimeout = TimeSpan.FromSeconds(10),
                };
                connection.ExecuteScalar<string>("PRAGMA synchronous=NORMAL");
                return connection;
            });
            return new SQLiteStorage(factory, new SQLiteStorageOptions { QueuePollInterval = PollInterval });
        }
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = database.Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = PollInterval,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.Location, options), options);
    }

    /// <summary>One client call per job: <c>Schedule</c> (one-off) or <c>AddOrUpdate</c> (recurring). Hangfire's client is synchronous.</summary>
    public Task CreateAsync(BenchJob job, CancellationToken cancel)
    {
        if (job.Every is null)
        {
            var due = job.First.ToUnixTimeMilliseconds();
            _client.Schedule<HangfireRecorder>(recorder => recorder.Once(job.Id, due), job.First);
            return Task.CompletedTask;
        }
        var (cron, from, until) = Recurrence(job);
        _recurring.AddOrUpdate<HangfireRecorder>(job.Id, recorder => recorder.Every(job.Id, from, until, null), cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Strict });
        return Task.CompletedTask;
    }

    /// <summary>Hangfire has no bulk call (batches are Hangfire Pro): the client call per job, <paramref name="concurrency"/> in flight.</summary>
    public Task<DriveResult> CreateManyAsync(IReadOnlyList<BenchJob> jobs, int concurrency, TimeSpan limit)
    {
        if (jobs.Count > 0)
            lock (_startedBefore)
                _startedBefore.TryAdd(jobs[0].Group, TotalStarted());
        return ClientDriver.CreateAllAsync(this, jobs, concurrency, limit, "Hangfire set-up");
    }

    /// <summary>
    /// Hangfire has no groups: jobs in the Succeeded state (their state change is committed after the method
    /// returns) less every job that had started before the group was created, so the count never runs ahead.
    /// </summary>
    public Task<int> CountFinishedAsync(string group, int created, CancellationToken cancel)
    {
        long before;
        lock (_startedBefore)
            before = _startedBefore.GetValueOrDefault(group);
        var succeeded = _storage.GetMonitoringApi().SucceededListCount();
        return Task.FromResult((int)Math.Max(0, succeeded - before));
    }

    /// <summary>Hangfire's own counts by state, for the progress lines when something did not run.</summary>
    public string Describe()
    {
        var stats = _storage.GetMonitoringApi().GetStatistics();
        return $"Hangfire states: scheduled {stats.Scheduled:N0}, enqueued {stats.Enqueued:N0}, processing {stats.Processing:N0}, " +
            $"succeeded {stats.Succeeded:N0}, failed {stats.Failed:N0}, deleted {stats.Deleted:N0}, retries {stats.Retries ?? 0:N0}";
    }

    private long TotalStarted() => Fires.Total;

    /// <summary>
    /// A recurring job as a six-field cron (UTC) and the window of occurrences (Unix seconds, end exclusive) that
    /// count. Every second: occurrences fall on whole seconds, from the whole second at or before
    /// <see cref="BenchJob.First"/>; when the runs fit in one minute, or in whole minutes of one hour from a whole
    /// minute, the cron names exactly that window (nothing fires before or after it); otherwise it fires every second
    /// and runs outside the window are recorded under "outside". Every day: at <see cref="BenchJob.First"/>'s time of day.
    /// </summary>
    public static (string Cron, long From, long Until) Recurrence(BenchJob job)
    {
        var first = DateTimeOffset.FromUnixTimeSeconds(job.First.ToUnixTimeSeconds()).UtcDateTime;
        var from = job.First.ToUnixTimeSeconds();
        if (job.Every == TimeSpan.FromDays(1))
            return ($"{first.Second} {first.Minute} {first.Hour} * * *", from, long.MaxValue);
        if (job.Every != TimeSpan.FromSeconds(1))
            throw new NotSupportedException($"The Hangfire system maps only 1 s and 1 day intervals to cron, not {job.Every}.");
        if (job.Runs is not { } runs)
            return ("* * * * * *", from, long.MaxValue);
        var last = first.AddSeconds(runs - 1);
        var day = $"{first.Hour} {first.Day} {first.Month} *";
        string cron;
        if (last.Date == first.Date && last.Hour == first.Hour && last.Minute == first.Minute)
            cron = $"{first.Second}-{last.Second} {first.Minute} {day}";
        else if (first.Second == 0 && runs % 60 == 0 && last.Date == first.Date && last.Hour == first.Hour)
            cron = $"* {first.Minute}-{last.Minute} {day}";
        else
            cron = "* * * * * *";
        return (cron, from, from + runs);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            _server.SendStop();
            await Task.Run(_server.Dispose);
        }
        (_storage as IDisposable)?.Dispose();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Hands every job a <see cref="HangfireRecorder"/> bound to the run's fire log.</summary>
    private sealed class RecorderActivator(FireLog fires) : JobActivator
    {
        public override object ActivateJob(Type jobType) =>
            jobType == typeof(HangfireRecorder) ? new HangfireRecorder(fires) : base.ActivateJob(jobType);
    }
}

/// <summary>Hangfire's side of the no-op job: records (scheduled time, started now) first thing and returns.</summary>
public sealed class HangfireRecorder(FireLog fires)
{
    /// <summary>A delayed job: due at <paramref name="dueUnixMs"/>, the instant it was scheduled for.</summary>
    public void Once(string id, long dueUnixMs) => fires.Record(id, DateTimeOffset.FromUnixTimeMilliseconds(dueUnixMs));

    /// <summary>
    /// A recurring job's run: its occurrence is the "Time" parameter the recurring scheduler sets (Unix seconds;
    /// with <see cref="MisfireHandlingMode.Strict"/> the occurrence itself, also for missed ones; read from the
    /// parameters fetched with the job, so no query). Runs outside
    /// [<paramref name="from"/>, <paramref name="until"/>) are recorded under "outside".
    /// </summary>
    public void Every(string id, long from, long until, PerformContext? context)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var time = context?.GetJobParameter<long?>("Time", allowStale: true) ?? startedAt.ToUnixTimeSeconds();
        fires.Record(time >= from && time < until ? id : "outside-" + id, DateTimeOffset.FromUnixTimeSeconds(time), startedAt);
    }
}
