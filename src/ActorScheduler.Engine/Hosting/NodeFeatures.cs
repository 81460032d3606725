using ActorScheduler.Core;
using ActorScheduler.Engine.Concurrency;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Retention;
using ActorScheduler.Engine.Telemetry;
using ActorScheduler.Engine.Triggers;
using ActorScheduler.Engine.Wakeups;
using ActorScheduler.Runners;
using Akka;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Routing;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Routing;

namespace ActorScheduler.Engine.Hosting;

/// <summary>The key of the job shard region (or its proxy) in the node's <see cref="ActorRegistry"/>.</summary>
public sealed class JobRegion;

/// <summary>
/// The node's features, each an addition to Akka.Hosting's builder: the actors a role brings, registered in the
/// <see cref="ActorRegistry"/> under their own type, so each finds its collaborators there when it is created —
/// in the order the features are added (a starter sees what earlier starters registered), never by a message sent
/// after construction. Job entities look theirs up when each is created, which is after every starter has run.
/// </summary>
public static class NodeFeatures
{
    /// <summary>The job shard region on scheduler nodes; a proxy to it elsewhere.</summary>
    public static AkkaConfigurationBuilder WithJobs(this AkkaConfigurationBuilder akka, EngineSettings settings, TimeProvider clock)
    {
        var extractor = new JobSharding.Extractor(settings.ShardCount);
        if (!settings.Has(NodeRoles.Scheduler))
            return akka.WithShardRegionProxy<JobRegion>(JobSharding.TypeName, NodeRoles.Scheduler, extractor);
        return akka.WithShardRegion<JobRegion>(JobSharding.TypeName, (system, registry, _) =>
            {
                // Jobs in memory wake on it (JobEntity.ArmWakeUp); it stops with the actor system.
                PreciseTimer.Get(system).Start(PreciseTimerSettings.From(system.Settings.Config), clock);
                var context = new Lazy<JobEntityContext>(() => new JobEntityContext(clock, registry.Get<JobIndexWriter>(),
                    registry.Get<Dispatcher>(), registry.Get<TriggerRouter>(), settings.Entity, settings.ShardCount));
                return entityId => JobEntity.Props(JobId.Parse(entityId), context.Value);
            },
            extractor,
            new ShardOptions { Role = NodeRoles.Scheduler, HandOffStopMessage = StopJobEntity.Instance });
    }

    /// <summary>
    /// A scheduler node's actors beside the job shards: the index writer, the dispatcher, the trigger router, the
    /// wake-up scheduler and the job creator; and at shutdown, the index flushed once the jobs have stopped.
    /// </summary>
    public static AkkaConfigurationBuilder WithSchedulerActors(this AkkaConfigurationBuilder akka, EngineSettings settings, TimeProvider clock)
    {
        if (!settings.Has(NodeRoles.Scheduler))
            return akka;
        return akka.WithActors((system, registry) =>
        {
            var store = EngineStore.Get(system);
            var jobs = registry.Get<JobRegion>();
            var writer = Start<JobIndexWriter>(system, registry, JobIndexWriter.Props(store.Index), "job-index-writer");
            Start<Dispatcher>(system, registry, Dispatcher.Props(jobs, registry.Get<PermitKeeper>(), settings.Dispatch), "dispatcher");
            Start<TriggerRouter>(system, registry, TriggerRouter.Props(store.Index, jobs), TriggerRouter.Name);
            var wakes = Start<WakeScheduler>(system, registry, WakeScheduler.Props(store.Index, jobs, clock, settings.Wake), "wake-scheduler");
            Start<JobCreator>(system, registry, JobCreator.Props(store, wakes, clock, settings.ShardCount, settings.Wake.Lookahead), JobCreator.Name);
            // Jobs have stopped by this phase; what they told the writer is written before the system goes.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "flush-job-index", async () =>
            {
                await writer.Ask<IndexFlushed>(FlushIndex.Instance, TimeSpan.FromSeconds(30));
                JobIndexRepair.MarkCleanStop(settings.DataDirectory);
                return Done.Instance;
            });
        });
    }

    /// <summary>
    /// The permit keeper of concurrency keys (<see cref="PermitKeeper"/>): one in the cluster, on a scheduler node; the
    /// dispatchers reach it through the proxy registered under its type. Added before the scheduler actors.
    /// </summary>
    public static AkkaConfigurationBuilder WithConcurrencyPermits(this AkkaConfigurationBuilder akka, EngineSettings settings, TimeProvider clock)
    {
        if (!settings.Has(NodeRoles.Scheduler))
            return akka;
        return akka.WithSingleton<PermitKeeper>("concurrency-permits",
            (system, registry, _) => PermitKeeper.Props(registry.Get<JobRegion>(), settings.Concurrency, settings.Wake.DeliveryTimeout, clock,
                PermitChecks.SchedulersUp(system)),
            new ClusterSingletonOptions { Role = NodeRoles.Scheduler }, createProxyToo: true);
    }

    /// <summary>Retention's background passes (<see cref="RetentionSweeper"/>): one at a time in the cluster, on a scheduler node.</summary>
    public static AkkaConfigurationBuilder WithRetention(this AkkaConfigurationBuilder akka, EngineSettings settings, TimeProvider clock)
    {
        if (!settings.Has(NodeRoles.Scheduler) || !settings.Retention.RemovesAnything)
            return akka;
        return akka.WithSingleton<RetentionSweeper>("retention", (system, registry, _) =>
            {
                var store = EngineStore.Get(system);
                var pass = new RetentionPass(store.Index, store.Writer.Enqueue, registry.Get<JobRegion>(), settings.Retention, settings.Wake.DeliveryTimeout);
                return RetentionSweeper.Props(pass, settings.Retention, clock);
            },
            new ClusterSingletonOptions { Role = NodeRoles.Scheduler }, createProxyToo: false); // nothing talks to it
    }

    /// <summary>
    /// Nodes without the scheduler role reach the scheduler nodes' job creators (gateway: POST) and trigger routers
    /// (worker: emitted events) through cluster routers, registered under the same keys.
    /// </summary>
    public static AkkaConfigurationBuilder WithSchedulerRouters(this AkkaConfigurationBuilder akka, EngineSettings settings)
    {
        if (settings.Has(NodeRoles.Scheduler))
            return akka;
        return akka.WithActors((system, registry) =>
        {
            registry.Register<JobCreator>(OnSchedulers(system, JobCreator.Name));
            registry.Register<TriggerRouter>(OnSchedulers(system, TriggerRouter.Name));
        });
    }

    /// <summary>The worker (<c>/user/worker</c>), and its drain at a graceful stop: runs in flight finish and are recorded first.</summary>
    public static AkkaConfigurationBuilder WithWorker(this AkkaConfigurationBuilder akka, EngineSettings settings, IRunner runner, TimeProvider clock)
    {
        if (!settings.Has(NodeRoles.Worker))
            return akka;
        return akka.WithActors((system, registry) =>
        {
            var worker = Start<WorkerActor>(system, registry,
                WorkerActor.Props(new TracedRunner(runner), registry.Get<JobRegion>(), registry.Get<TriggerRouter>(), settings.Worker.Name, settings.Worker.Slots, clock), WorkerActor.Name);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "drain-worker", async () =>
            {
                try
                {
                    await worker.Ask<WorkerDrained>(DrainWorker.Instance, settings.Worker.DrainTimeout);
                }
                catch (AskTimeoutException)
                {
                    system.Log.Warning("Worker {0}: runs still in flight after {1}; they are stopped and reported lost", settings.Worker.Name, settings.Worker.DrainTimeout);
                }
                return Done.Instance;
            });
        });
    }

    /// <summary>
    /// The node joins its seeds (or, without seeds, forms a cluster of its own) only once every actor exists: a peer
    /// must never see this node up without its worker. Startup tasks run after every starter.
    /// </summary>
    public static AkkaConfigurationBuilder WithJoin(this AkkaConfigurationBuilder akka, IReadOnlyList<Address> seeds, TimeSpan timeout) =>
        akka.AddStartup(async (system, _) =>
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
                // A node told to stop while it joins (drained as soon as its peers saw it) ends its start-up there.
                await Task.WhenAny(up.Task, system.WhenTerminated).WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"Could not join the cluster within {timeout.TotalMinutes:0} minutes (seed nodes: {string.Join(", ", seeds)}).");
            }
        });

    /// <summary>The node's cluster roles: its engine roles, <see cref="NodeRoles.Engine"/>, and a worker's name and pools.</summary>
    public static Config RolesConfig(EngineSettings settings)
    {
        var roles = settings.Roles.Append(NodeRoles.Engine).ToList();
        if (settings.Has(NodeRoles.Worker))
            roles.AddRange(WorkerRoles.For(settings.Worker.Name, settings.Worker.Pools, settings.Worker.Slots));
        // Quoted: worker roles hold a ':' (Akka.Cluster.Hosting's ClusterOptions.Roles writes them unquoted).
        return ConfigurationFactory.ParseString($"akka.cluster.roles = [{string.Join(", ", roles.Select(r => $"\"{r}\""))}]");
    }

    private static IActorRef Start<TKey>(ActorSystem system, IActorRegistry registry, Props props, string name)
    {
        var actor = system.ActorOf(props, name);
        registry.Register<TKey>(actor);
        return actor;
    }

    /// <summary>A router to the actor named <paramref name="name"/> on every scheduler node (round robin).</summary>
    private static IActorRef OnSchedulers(ActorSystem system, string name) =>
        system.ActorOf(new ClusterRouterGroup(new RoundRobinGroup([$"/user/{name}"]),
            new ClusterRouterGroupSettings(1000, [$"/user/{name}"], allowLocalRoutees: true, useRole: NodeRoles.Scheduler)).Props(), $"{name}-on-schedulers");
}
