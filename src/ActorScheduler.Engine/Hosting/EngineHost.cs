using ActorScheduler.Core;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Triggers;
using ActorScheduler.Engine.Wakeups;
using ActorScheduler.Runners;
using Akka.Actor;
using Akka;
using Akka.Actor.Setup;
using Akka.Cluster.Routing;
using Akka.Routing;
using Akka.Configuration;
using Akka.Event;

namespace ActorScheduler.Engine.Hosting;

/// <summary>
/// Starts the engine's pieces for this node's roles on one actor system: the job shard region (or a proxy),
/// the index writer, time index reader, dispatcher and trigger router (scheduler), and the worker.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    public const string SystemName = "actor-scheduler";

    public required ActorSystem System { get; init; }
    public required EngineSettings Settings { get; init; }
    public required IActorRef Region { get; init; }
    public required JobService Jobs { get; init; }

    /// <param name="config">The layered configuration (see <see cref="EngineConfig.Load"/>).</param>
    /// <param name="runner">What the worker role runs jobs with.</param>
    public static async Task<EngineHost> StartAsync(Config config, IRunner runner, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var settings = EngineSettings.From(config);
        // Workers (and the lighthouse) never touch the database: only job shards and the gateway's reads do.
        var usesDatabase = settings.Has("scheduler") || settings.Has("gateway");
        if (usesDatabase)
            EngineDatabase.Prepare(settings.Database);
        if (settings.Has("scheduler"))
            Directory.CreateDirectory(settings.DataDirectory); // the clean-stop marker lives there, whatever the database
        var wasClean = !settings.Has("scheduler") || JobIndexRepair.LastStopWasClean(settings.DataDirectory);
        var full = EngineConfig.Complete(RolesConfig(settings).WithFallback(config), settings);
        // The node joins its seeds itself, once its actors exist (Akka would join at start-up otherwise).
        var seeds = full.GetStringList("akka.cluster.seed-nodes").Select(Address.Parse).ToList();
        full = ConfigurationFactory.ParseString("akka.cluster.seed-nodes = []").WithFallback(full);
        var bootstrap = BootstrapSetup.Create().WithConfig(full);
        var system = ActorSystem.Create(settings.SystemName,
            EngineDatabase.JournalSetup(settings.Database) is { } journalSetup ? bootstrap.And(journalSetup) : ActorSystemSetup.Create(bootstrap));

        // Every node runs the pub-sub mediator before it joins (run outcomes are published through it).
        _ = Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator;

        JobIndexStore? store = null;
        if (usesDatabase)
        {
            store = new JobIndexStore(() => EngineDatabase.Open(settings.Database));
            await using var schemaLock = await EngineDatabase.SchemaLockAsync(settings.Database);
            store.EnsureSchema();
        }
        // Every actor exists before the node joins: a peer must never see this node up without its worker.
        var (region, creator, triggers) = settings.Has("scheduler")
            ? StartScheduler(system, settings, store!, clock)
            : (JobSharding.StartProxy(system, settings.ShardCount), OnSchedulers(system, JobCreator.Name), null);
        if (settings.Has("worker"))
        {
            // Emitted events go to a trigger router of a scheduler node (they read the trigger index).
            triggers ??= OnSchedulers(system, TriggerRouter.Name);
            var worker = system.ActorOf(WorkerActor.Props(runner, region, triggers, settings.Worker.Name), WorkerActor.Name);
            // A graceful stop finishes the runs in flight (and records them) before the node leaves the cluster.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "drain-worker", async () =>
            {
                try
                {
                    await worker.Ask<WorkerActor.Drained>(new WorkerActor.Drain(), settings.Worker.DrainTimeout);
                }
                catch (AskTimeoutException)
                {
                    system.Log.Warning("Worker {0}: runs still in flight after {1}; they are stopped and reported lost", settings.Worker.Name, settings.Worker.DrainTimeout);
                }
                return Done.Instance;
            });
        }
        await JoinAsync(system, seeds);
        var jobs = new JobService(system, region, store, settings.Gateway.AskTimeout, creator);
        // The receptionist for embedded clients (src/ActorScheduler.Client) on every node that can answer them.
        if (settings.Has("gateway") || settings.Has("scheduler"))
            ClientApi.ClientService.Start(system, jobs);
        if (settings.Has("scheduler"))
        {
            // One recovery makes the journal plugin create its tables before the bulk creator writes into them.
            await FirstRecoveryAsync(system, jobs);
            if (!wasClean)
                _ = Task.Run(() => RepairIndex(system, settings, region));
        }
        system.Log.Info("ActorScheduler node up: roles {0}, {1}", string.Join(",", settings.Roles),
            usesDatabase ? $"database {EngineDatabase.Describe(settings.Database)}" : "no database");
        return new EngineHost { System = system, Settings = settings, Region = region, Jobs = jobs };
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

    /// <summary>
    /// A router to the actor named <paramref name="name"/> on every scheduler node (round robin): how gateway-only
    /// and worker-only nodes reach the job creator and the trigger routers.
    /// </summary>
    private static IActorRef OnSchedulers(ActorSystem system, string name) =>
        system.ActorOf(new ClusterRouterGroup(new RoundRobinGroup([$"/user/{name}"]),
            new ClusterRouterGroupSettings(1000, [$"/user/{name}"], allowLocalRoutees: true, useRole: "scheduler")).Props(), $"{name}-on-schedulers");

    private static void RepairIndex(ActorSystem system, EngineSettings settings, IActorRef region)
    {
        try
        {
            var stale = JobIndexRepair.StaleJobs(() => EngineDatabase.Open(settings.Database));
            if (stale.Count > 0)
                system.Log.Warning("The last stop was not clean: {0} jobs have index rows behind their journal; recovering them", stale.Count);
            JobIndexRepair.Wake(region, stale);
        }
        catch (Exception e)
        {
            system.Log.Error(e, "Checking the job index against the journal failed");
        }
    }

    private static (IActorRef Region, IActorRef Creator, IActorRef? Triggers) StartScheduler(ActorSystem system, EngineSettings settings, JobIndexStore store, TimeProvider clock)
    {
        var writer = system.ActorOf(JobIndexWriter.Props(store), "job-index-writer");
        var dispatcher = system.ActorOf(Dispatcher.Props(), "dispatcher");
        var triggers = system.ActorOf(TriggerRouter.Props(store), TriggerRouter.Name);
        var context = new JobEntityContext(clock, writer, dispatcher, triggers, settings.Entity, settings.ShardCount);
        var region = JobSharding.StartRegion(system, context);
        dispatcher.Tell(new Dispatcher.UseJobRegion(region));
        triggers.Tell(new TriggerRouter.UseJobRegion(region));
        var wakes = system.ActorOf(WakeScheduler.Props(store, region, clock, settings.Wake), "wake-scheduler");
        var creator = system.ActorOf(JobCreator.Props(store, wakes, context, settings.Wake.Lookahead), JobCreator.Name);
        // Jobs have stopped by this phase; what they told the writer is written before the system goes.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "flush-job-index", async () =>
        {
            await writer.Ask<Done>(new JobIndexWriter.FlushAll(), TimeSpan.FromSeconds(30));
            JobIndexRepair.MarkCleanStop(settings.DataDirectory);
            return Done.Instance;
        });
        return (region, creator, triggers);
    }

    /// <summary>The node's cluster roles: its engine roles plus the worker's name and pools.</summary>
    private static Config RolesConfig(EngineSettings settings)
    {
        // "engine" marks every ActorScheduler node (not the lighthouse): distributed pub-sub runs among them.
        var roles = settings.Roles.Append("engine").ToList();
        if (settings.Has("worker"))
            roles.AddRange(WorkerRoles.For(settings.Worker.Name, settings.Worker.Pools).Skip(1));
        var quoted = string.Join(", ", roles.Select(r => $"\"{r}\""));
        return ConfigurationFactory.ParseString($"akka.cluster.roles = [{quoted}]");
    }

    /// <summary>Without seed nodes the node forms a cluster of its own.</summary>
    private static async Task JoinAsync(ActorSystem system, IReadOnlyList<Address> seeds)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (seeds.Count == 0)
            cluster.Join(cluster.SelfAddress);
        else
            cluster.JoinSeedNodes(seeds);
        try
        {
            await up.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            await system.Terminate();
            throw new InvalidOperationException($"Could not join the cluster within 2 minutes (seed nodes: {string.Join(", ", seeds)}).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        EngineDatabase.ClearPools(Settings.Database);
    }
}
