using ActorScheduler.Client.Transport;
using ActorScheduler.CommandHost.Remote;
using ActorScheduler.Core;
using ActorScheduler.Engine.ClientApi;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Runners;
using ActorScheduler.Runners.Scripts;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorScheduler.Engine.Hosting;

/// <summary>
/// Starts an ActorScheduler node: its features for its roles (<see cref="NodeFeatures"/>) on Akka.Hosting's
/// builder, one actor system, then what needs the cluster up (the client service, the first recovery, the index
/// repair after an unclean stop).
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    public const string SystemName = "actor-scheduler";

    /// <summary>How long a node waits to join its seeds (or itself) before it gives up starting.</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(2);

    private readonly IHost _host;

    private EngineHost(IHost host, EngineSettings settings, JobService jobs)
    {
        (_host, Settings, Jobs) = (host, settings, jobs);
        System = host.Services.GetRequiredService<ActorSystem>();
        Region = ActorRegistry.For(System).Get<JobRegion>();
    }

    public ActorSystem System { get; }
    public EngineSettings Settings { get; }
    public IActorRef Region { get; }
    public JobService Jobs { get; }

    /// <param name="config">The layered configuration (see <see cref="EngineConfig.Load"/>).</param>
    /// <param name="runner">What the worker role runs jobs with.</param>
    public static async Task<EngineHost> StartAsync(Config config, IRunner runner, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var settings = EngineSettings.From(config);
        var warnings = new List<string>();
        if (settings.Has(NodeRoles.Scheduler) && PrivateFiles.EnsureDirectory(settings.DataDirectory) is { } looseDirectory)
            warnings.Add(looseDirectory); // the clean-stop marker lives there, whatever the database
        if (settings.UsesDatabase)
            warnings.AddRange(await PrepareDatabaseAsync(settings.Database));
        var wasClean = !settings.Has(NodeRoles.Scheduler) || JobIndexRepair.LastStopWasClean(settings.DataDirectory);
        var full = EngineConfig.Complete(NodeFeatures.RolesConfig(settings).WithFallback(config), settings);
        // The node joins its seeds itself, once its actors exist (Akka would join at start-up otherwise).
        var seeds = full.GetStringList("akka.cluster.seed-nodes").Select(Address.Parse).ToList();

        // What a worker's runs print while they run, readable from any node (RunOutputs).
        var liveOutput = settings.Has(NodeRoles.Worker) ? LiveOutputSettings.From(config) : null;
        var liveBuffer = liveOutput is null ? null : new LiveOutputBuffer(liveOutput, clock);
        // What a run's script sends through the script API (RunScripts) reaches the run here, as its output and reports do.
        ActorSystem? logTo = null; // the system exists once the runner is built; a run without a channel can only come later
        var scripts = settings.Has(NodeRoles.Worker)
            ? new ScriptChannels(run => logTo?.Log.Warning("Run {0} has no script API channel: {1} runs have one open on this worker already", run, ScriptChannels.MaxLive))
            : null;
        // Deployed scripts (run.script) are fetched by hash from the nodes with the database, cached, then run as shell runs.
        (runner, var scriptSource) = DeployedScriptHosting.ForWorker(settings, config, runner);
        var workerRunner = scripts is null ? runner : new ScriptChannelRunner(runner, scripts, settings.Worker.OutputLimit);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEngineTelemetry(settings); // before the actor system: its providers exist when the first runs go
        builder.Services.AddAkka(settings.SystemName, akka =>
        {
            akka.AddHocon(ConfigurationFactory.ParseString("akka.cluster.seed-nodes = []").WithFallback(full), HoconAddMode.Prepend);
            if (EngineDatabase.JournalSetup(settings.Database) is { } journalSetup)
                akka.AddSetup(journalSetup);
            if (settings.Cluster.Tls is { } tls)
                akka.AddHocon(ClusterTls.Hocon, HoconAddMode.Prepend).AddSetup(tls.Setup(clock));
            akka.WithDistributedPubSub(NodeRoles.Engine) // outcomes for embedded clients are published through it
                .WithJobs(settings, clock)
                .WithConcurrencyPermits(settings, clock)
                .WithSchedulerActors(settings, clock)
                .WithRetention(settings, clock)
                .WithSchedulerRouters(settings)
                .WithWorker(settings, liveBuffer is null ? workerRunner : new LiveOutputRunner(workerRunner, liveBuffer), clock)
                .WithActors((system, _) =>
                {
                    if (liveBuffer is not null)
                        system.ActorOf(LiveOutputActor.Props(liveBuffer, liveOutput!.KeepFinished), LiveOutputActor.Name);
                    if (scripts is not null)
                        system.ActorOf(ScriptChannelActor.Props(scripts), ScriptChannelActor.Name);
                    DeployedScriptHosting.Start(system, settings, scriptSource);
                })
                // Other members' command hosts ask this one's agent (a worker's drain, its log) as soon as they see it up.
                .WithActors((system, _) => CommandAgents.Start(system))
                .WithJoin(seeds, JoinTimeout);
        });
        var host = builder.Build();
        await host.StartAsync();

        var system = host.Services.GetRequiredService<ActorSystem>();
        logTo = system;
        if (system.WhenTerminated.IsCompleted) // stopped while it joined (drained): nothing more to start
            return new EngineHost(host, settings, new JobService(system, ActorRefs.Nobody, null, settings.Gateway.AskTimeout, ActorRefs.Nobody));
        var registry = ActorRegistry.For(system);
        var jobs = new JobService(system, registry.Get<JobRegion>(), settings.UsesDatabase ? EngineStore.Get(system).Index : null,
            settings.Gateway.AskTimeout, registry.Get<JobCreator>());
        // The receptionist for embedded clients (src/ActorScheduler.Client) on every node that can answer them.
        if (settings.Has(NodeRoles.Gateway) || settings.Has(NodeRoles.Scheduler))
            ClientService.Start(system, jobs, settings.Gateway.Token);
        if (settings.Has(NodeRoles.Scheduler))
        {
            // One recovery makes the journal plugin create its tables before the bulk creator writes into them.
            await FirstRecoveryAsync(system, jobs);
            if (!wasClean)
                _ = Task.Run(() => JobIndexRepair.Run(EngineStore.Get(system).Index, registry.Get<JobRegion>(), system.Log));
        }
        if (settings.Cluster is { LoopbackOnly: false, Tls: null })
            warnings.Add($"The cluster transport on {settings.Cluster.Hostname} runs without TLS (actor-scheduler.cluster.allow-insecure = on): " +
                "anyone who reaches its port can join the cluster and send this node commands.");
        foreach (var warning in warnings.Distinct())
            system.Log.Warning(warning);
        system.Log.Info("ActorScheduler node up: roles {0}, {1}", string.Join(",", settings.Roles),
            settings.UsesDatabase ? $"database {EngineDatabase.Describe(settings.Database)}" : "no database");
        return new EngineHost(host, settings, jobs);
    }

    /// <summary>Readies the database and the engine's tables (<see cref="IndexTables.EnsureSchema"/>); nodes starting at once take turns (see <see cref="EngineDatabase.SchemaLockAsync"/>).</summary>
    private static async Task<IReadOnlyList<string>> PrepareDatabaseAsync(DatabaseSettings database)
    {
        var warnings = EngineDatabase.Prepare(database);
        await using var schemaLock = await EngineDatabase.SchemaLockAsync(database);
        new IndexTables(() => EngineDatabase.Open(database)).EnsureSchema();
        return warnings;
    }

    /// <summary>
    /// Another scheduler node starting at the same moment may be creating the journal tables too, and one of two
    /// concurrent creations can fail; the plugin tries again on the next recovery.
    /// </summary>
    private static async Task FirstRecoveryAsync(ActorSystem system, JobService jobs)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await jobs.Get(JobId.Parse("_engine-start"));
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                system.Log.Warning("First recovery failed (attempt {0} of 5), trying again: {1}", attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await _host.StopAsync();
        _host.Dispose();
        EngineDatabase.ClearPools(Settings.Database);
    }
}
