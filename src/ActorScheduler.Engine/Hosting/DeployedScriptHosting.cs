using ActorScheduler.Engine.Deploys;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Runners;
using ActorScheduler.Runners.Deployed;
using ActorScheduler.Runners.Shell;
using Akka.Actor;
using Akka.Configuration;

namespace ActorScheduler.Engine.Hosting;

/// <summary>Deployed scripts' parts on a node: the worker's runner and cache, and the script server on nodes with the database.</summary>
public static class DeployedScriptHosting
{
    /// <summary>
    /// A worker's runner with deployed scripts in front of <paramref name="inner"/> (refusing them when the worker does not
    /// allow them), and the source to bind once the actor system runs; a node without the worker role keeps its runner.
    /// </summary>
    public static (IRunner Runner, ClusterScriptSource? Source) ForWorker(EngineSettings settings, Config config, IRunner inner)
    {
        if (!settings.Has(NodeRoles.Worker))
            return (inner, null);
        var worker = WorkerScriptSettings.From(config, settings.DataDirectory);
        if (!worker.Allowed)
            return (new DeployedScriptRunner(inner, null), null);
        var source = new ClusterScriptSource(worker.FetchTimeout, worker.MaxScriptBytes);
        var cache = new ScriptCache(worker.CacheDirectory, worker.CacheMaxBytes, worker.CacheMaxScripts, source.Log);
        var options = new ShellRunnerOptions
        {
            OutputLimitBytes = settings.Worker.OutputLimit, PassEnvironment = settings.Worker.PassEnvironment.ToList(), ScriptApi = WorkerRunners.ScriptApiFor(settings),
        };
        return (new DeployedScriptRunner(inner, new DeployedScripts(cache, source, options)), source);
    }

    /// <summary>
    /// The node's one deployer, which <c>POST /api/v1/scripts/deploy</c> and <c>schedctl deploy</c> share (so their
    /// deployments wait for each other): on a node with the database while <c>actor-scheduler.deploy.enabled</c>, else null.
    /// </summary>
    public static ScriptDeployer? Deployer(EngineSettings settings, DeploySettings deploy, JobService jobs, TimeProvider clock) =>
        settings.UsesDatabase && deploy.Enabled
            ? new ScriptDeployer(jobs, new DeployedScriptTables(() => EngineDatabase.Open(settings.Database)), deploy, clock)
            : null;

    /// <summary>Binds the worker's source to the running system, and starts <c>/user/deployed-scripts</c> where the database is.</summary>
    public static void Start(ActorSystem system, EngineSettings settings, ClusterScriptSource? source)
    {
        source?.Bind(system);
        if (settings.UsesDatabase)
            system.ActorOf(DeployedScriptServer.Props(new DeployedScriptTables(() => EngineDatabase.Open(settings.Database))), DeployedScriptServer.Name);
    }
}
