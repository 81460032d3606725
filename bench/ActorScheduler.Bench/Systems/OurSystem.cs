using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Storage;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Telemetry;
using Akka.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ActorScheduler.Bench.Systems;

/// <summary>
/// ActorScheduler embedded in this process with its SQLite or PostgreSQL profile: all three roles, the worker
/// running every job on a <see cref="RecordingRunner"/>.
/// </summary>
public sealed class OurSystem : ISchedulerUnderTest
{
    private readonly MeterProvider _metrics;

    private OurSystem(EngineHost engine, FireLog fires, MeterProvider metrics) => (Engine, Fires, _metrics) = (engine, fires, metrics);

    public EngineHost Engine { get; }

    public FireLog Fires { get; }

    /// <summary>
    /// The shipped configuration with only the database, its data directory and the log level chosen here, and
    /// <paramref name="extraHocon"/> when a scenario compares a setting.
    /// </summary>
    public static async Task<OurSystem> StartAsync(OurDatabase database, FireLog fires, string extraHocon = "")
    {
        var config = EngineConfig.Load(ConfigurationFactory.ParseString(database.Hocon() + "akka.loglevel = WARNING\n" + extraHocon));
        // Metrics are collected as on a node whose gateway serves /metrics: what recording them costs is measured too.
        var metrics = Sdk.CreateMeterProviderBuilder().AddMeter(EngineMetrics.MeterName).AddPrometheusExporter().Build();
        return new OurSystem(await EngineHost.StartAsync(config, new RecordingRunner(fires)), fires, metrics);
    }

    /// <summary>The embedded client path: <c>JobService.Define</c>, create-only.</summary>
    public async Task CreateAsync(BenchJob job, CancellationToken cancel)
    {
        var reply = await Engine.Jobs.Define(JobId.Parse(job.Id), OurJobs.Definition(job), createOnly: true, cancel);
        if (reply is ActorScheduler.Engine.Protocol.JobRefused refused)
            throw new InvalidOperationException($"{job.Id} refused ({refused.Kind}): {refused.Message}");
    }

    /// <summary>The engine has no bulk call: set-up is the client path with many calls in flight.</summary>
    public Task<DriveResult> CreateManyAsync(IReadOnlyList<BenchJob> jobs, int concurrency, TimeSpan limit) =>
        ClientDriver.CreateAllAsync(this, jobs, concurrency, limit, "ActorScheduler set-up");

    /// <summary>Jobs of the group whose status is done in the job list (written after their events are journaled).</summary>
    public async Task<int> CountFinishedAsync(string group, int created, CancellationToken cancel)
    {
        var (done, after) = (0, (JobId?)null);
        do
        {
            var page = await Engine.Jobs.List(new ActorScheduler.Engine.Storage.JobListQuery(JobStatus.Done, null, group, 500, after), cancel);
            done += page.Items.Count;
            after = page.Next is null ? null : JobId.Parse(page.Next);
        } while (after is not null);
        return done;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _metrics.Dispose();
    }
}
