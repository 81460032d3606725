using System.Runtime.InteropServices;
using ActorScheduler.CommandHost;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Engine.CommandPalettes;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Gateway;
using ActorScheduler.Node;
using ActorScheduler.Runners;
using Akka.Configuration;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;

// The node: one executable, any set of roles (default: all of them, on an embedded SQLite file).
//   dotnet run --project src/ActorScheduler.Node [-- --data DIR --port N --cmd-port N --name WORKER --roles a,b --token-file FILE]
//   dotnet run --project src/ActorScheduler.Node -- restore BACKUP.db --data DIR   (a backup into an empty directory: RestoreCommand)
if (args is [RestoreCommand.Name, .. var restoreArguments])
    return await RestoreCommand.RunAsync(restoreArguments, AppContext.BaseDirectory);

Config config;
EngineSettings settings;
CommandHostSettings cmd;
RunnerHost runners;
try
{
    config = EngineConfig.Load(HostConfiguration.Build(args, AppContext.BaseDirectory));
    settings = EngineSettings.From(config);
    cmd = NodeCommandHost.Settings(config, settings);
    if (cmd.Problem(NodeCommandHost.TokenHint) is { } cmdProblem)
        throw new ArgumentException(cmdProblem); // before anything starts, like the gateway's address
    if (settings.Has(NodeRoles.Gateway))
        GatewayServer.ListenEndpoint(settings.Gateway); // refuses a non-loopback address without a token, before anything starts
    _ = settings.Cluster.Tls?.Setup(); // a certificate that cannot be used stops the node here, with the reason
    if (!settings.Has(NodeRoles.Scheduler) && config.GetStringList("akka.cluster.seed-nodes").Count == 0)
        throw new ArgumentException("A node without the scheduler role has no jobs of its own: give it seed nodes to join (CLUSTER_SEEDS).");
    runners = WorkerRunners.Create(settings.Worker, scriptApi: WorkerRunners.ScriptApiFor(settings)); // a shell policy or HTTP destination list that cannot work stops the node here
}
catch (Exception e) when (e is ArgumentException or ConfigurationException or InvalidOperationException or FormatException or NotSupportedException)
{
    Console.Error.WriteLine($"actor-scheduler: {e.Message}");
    return 2;
}

if (args.Contains("--token"))
    Console.Error.WriteLine("actor-scheduler: the token given with --token is visible to every user of this machine (ps); " +
        "prefer --token-file FILE or the environment variable ACTORSCHEDULER__Gateway__Token.");

EngineHost started;
try
{
    started = await EngineHost.StartAsync(config, runners);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"actor-scheduler: {e.Message}"); // e.g. no seed answered in time
    return 1;
}
await using var engine = started;
var log = engine.System.Log;
if (settings.Has(NodeRoles.Worker))
{
    var policy = WorkerRunners.Policy(settings.Worker);
    if (policy.AllowAnyCommand)
        log.Warning("Worker {0}: shell jobs may run ANY command. That suits the loopback all-in-one node; elsewhere set " +
            "actor-scheduler.worker.shell.allow-any-command = off and list allowed-commands or script-directories.", settings.Worker.Name);
    else
        log.Info("Worker {0}: {1}", settings.Worker.Name, policy.Describe());
    var destinations = WorkerRunners.Destinations(settings.Worker);
    if (destinations.AllowLoopback || destinations.AllowPrivateNetworks || destinations.AllowedNetworks.Count > 0)
        log.Warning("Worker {0}: {1}. HTTP jobs can reach this node's own ports and its network neighbours; on a shared " +
            "network list only the networks jobs need in actor-scheduler.worker.http.allowed-networks.", settings.Worker.Name, destinations.Describe());
    else
        log.Info("Worker {0}: {1}", settings.Worker.Name, destinations.Describe());
}

// Scripts deployed by git push to /git/scripts.git, POST /api/v1/scripts/deploy or schedctl deploy (actor-scheduler.deploy).
var deploySettings = ActorScheduler.Engine.Deploys.DeploySettings.From(config, settings.DataDirectory);
var deployer = DeployedScriptHosting.Deployer(settings, deploySettings, engine.Jobs, TimeProvider.System);
CommandServer? commandHost;
try
{
    commandHost = NodeCommandHost.Start(engine, cmd, TimeProvider.System, deployer);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"actor-scheduler: {e.Message}");
    return 2;
}

GatewayServer? gateway = null;
if (settings.Has(NodeRoles.Gateway))
{
    var deploys = deployer is null ? null : await ActorScheduler.Gateway.Deploys.GatewayDeploys.CreateAsync(deployer);
    // The node's database is what GET /api/v1/export copies (a hot backup).
    gateway = await GatewayServer.StartAsync(engine.Jobs, settings.Gateway, web =>
    {
        web.Services.AddSingleton(new DatabaseExports(settings.Database, settings.DataDirectory, log));
        if (deploys is not null)
            web.Services.AddSingleton(deploys);
        // The gateway's own lines (event streams, the dashboard, imports) beside the node's, one per line;
        // ASP.NET Core's request chatter only from warnings up.
        web.Logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; });
        web.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information)
            .AddFilter("Microsoft", Microsoft.Extensions.Logging.LogLevel.Warning);
    });
    Console.WriteLine($"ActorScheduler is up: HTTP API on {gateway.Url} (data in {settings.DataDirectory})");
}

var stop = new TaskCompletionSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
// The node also ends when its actor system does: stopped by `schedctl workers drain`, or removed from the cluster.
var stoppedFromOutside = await Task.WhenAny(stop.Task, engine.System.WhenTerminated) != stop.Task;
Console.WriteLine(stoppedFromOutside ? "ActorScheduler is stopping: its actor system has stopped (drained, left or removed from the cluster)." : "ActorScheduler is stopping…");
if (commandHost is not null)
    await commandHost.DisposeAsync();
if (gateway is not null)
    await gateway.DisposeAsync();
// Drained or told to leave is a normal end (0); downed is not, so a supervisor restarts it (1).
return stoppedFromOutside && Akka.Actor.CoordinatedShutdown.Get(engine.System).ShutdownReason is Akka.Actor.CoordinatedShutdown.ClusterDowningReason ? 1 : 0;
