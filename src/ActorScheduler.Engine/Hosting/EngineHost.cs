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
        SqliteDatabase.Prepare(settings.Database);
        var wasClean = JobIndexRepair.LastStopWasClean(settings.DataDirectory);
        var full = EngineConfig.Complete(RolesConfig(settings).WithFallback(config), settings);
        var system = ActorSystem.Create(SystemName,
            BootstrapSetup.Create().WithConfig(full).And(SqliteDatabase.JournalSetup(settings.Database)));

        var store = new JobIndexStore(() => SqliteDatabase.Open(settings.Database));
        store.EnsureSchema();
        // Every actor exists before the node joins: a peer must never see this node up without its worker.
        var (region, creator) = settings.Has("scheduler")
            ? StartScheduler(system, settings, store, clock)
            : (JobSharding.StartProxy(system, settings.ShardCount), null);
        if (settings.Has("worker"))
        {
            var triggers = system.ActorOf(TriggerRouter.Props(store), "worker-triggers");
            triggers.Tell(new TriggerRouter.UseJobRegion(region));
            system.ActorOf(WorkerActor.Props(runner, region, triggers, settings.Worker.Name), WorkerActor.Name);
        }
        await JoinAsync(system);
        var jobs = new JobService(system, region, store, settings.Gateway.AskTimeout, creator);
        if (settings.Has("scheduler"))
        {
            // One recovery makes the journal plugin create its tables before the bulk creator writes into them.
            await jobs.Get(JobId.Parse("_engine-start"));
            if (!wasClean)
                _ = Task.Run(() => RepairIndex(system, settings, region));
        }
        system.Log.Info("ActorScheduler node up: roles {0}, data in {1}", string.Join(",", settings.Roles), settings.DataDirectory);
        return new EngineHost { System = system, Settings = settings, Region = region, Jobs = jobs };
    }

    private static void RepairIndex(ActorSystem system, EngineSettings settings, IActorRef region)
    {
        try
        {
            var stale = JobIndexRepair.StaleJobs(() => SqliteDatabase.Open(settings.Database));
            if (stale.Count > 0)
                system.Log.Warning("The last stop was not clean: {0} jobs have index rows behind their journal; recovering them", stale.Count);
            JobIndexRepair.Wake(region, stale);
        }
        catch (Exception e)
        {
            system.Log.Error(e, "Checking the job index against the journal failed");
        }
    }

    private static (IActorRef Region, IActorRef Creator) StartScheduler(ActorSystem system, EngineSettings settings, JobIndexStore store, TimeProvider clock)
    {
        var writer = system.ActorOf(JobIndexWriter.Props(store), "job-index-writer");
        var dispatcher = system.ActorOf(Dispatcher.Props(), "dispatcher");
        var triggers = system.ActorOf(TriggerRouter.Props(store), "triggers");
        var context = new JobEntityContext(clock, writer, dispatcher, triggers, settings.Entity, settings.ShardCount);
        var region = JobSharding.StartRegion(system, context);
        dispatcher.Tell(new Dispatcher.UseJobRegion(region));
        triggers.Tell(new TriggerRouter.UseJobRegion(region));
        var wakes = system.ActorOf(WakeScheduler.Props(store, region, clock, settings.Wake), "wake-scheduler");
        var creator = system.ActorOf(JobCreator.Props(store, wakes, context, settings.Wake.Lookahead), "job-creator");
        // Jobs have stopped by this phase; what they told the writer is written before the system goes.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "flush-job-index", async () =>
        {
            await writer.Ask<Done>(new JobIndexWriter.FlushAll(), TimeSpan.FromSeconds(30));
            JobIndexRepair.MarkCleanStop(settings.DataDirectory);
            return Done.Instance;
        });
        return (region, creator);
    }

    /// <summary>The node's cluster roles: its engine roles plus the worker's name and pools.</summary>
    private static Config RolesConfig(EngineSettings settings)
    {
        var roles = settings.Roles.ToList();
        if (settings.Has("worker"))
            roles.AddRange(WorkerRoles.For(settings.Worker.Name, settings.Worker.Pools).Skip(1));
        var quoted = string.Join(", ", roles.Select(r => $"\"{r}\""));
        return ConfigurationFactory.ParseString($"akka.cluster.roles = [{quoted}]");
    }

    /// <summary>Without seed nodes the node forms a cluster of its own.</summary>
    private static async Task JoinAsync(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (system.Settings.Config.GetStringList("akka.cluster.seed-nodes").Count == 0)
            cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
