using System.Runtime.InteropServices;
using ActorScheduler.CommandHost;
using ActorScheduler.CommandHost.Logging;
using ActorScheduler.CommandHost.Palettes;
using ActorScheduler.CommandHost.Remote;
using ActorScheduler.Lighthouse;
using Akka.Actor;
using Akka.Cluster;

// The lighthouse: the cluster's seed node (role "lighthouse"; no jobs, no HTTP), configured by the environment:
//   ACTORSYSTEM=actor-scheduler CLUSTER_IP=127.0.0.1 CLUSTER_PORT=4053 CLUSTER_SEEDS=akka.tcp://actor-scheduler@127.0.0.1:4053 \
//   dotnet lighthouse/bin/Release/net10.0/lighthouse.dll
// Its command host (schedctl cluster/actor/log palettes) listens on CMD_HOST:CMD_PORT (default 127.0.0.1:9110).
// Exit codes: 0 after leaving the cluster on SIGTERM/SIGINT, 1 when the cluster removed it (e.g. downed by the
// split-brain resolver; a supervisor should restart it), 2 on a bad environment variable.
LighthouseSettings settings;
try
{
    settings = LighthouseSettings.FromEnvironment(Environment.GetEnvironmentVariables()
        .Cast<System.Collections.DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value));
    _ = settings.Tls?.Setup(); // a certificate that cannot be used stops the lighthouse here, with the reason
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"lighthouse: {e.Message}");
    return 2;
}

var stop = new TaskCompletionSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });

using var system = ActorSystem.Create(settings.SystemName, LighthouseConfig.Setup(settings));
if (settings is { Tls: null, AllowInsecure: true })
    Console.Error.WriteLine($"lighthouse: CLUSTER_ALLOW_INSECURE: the cluster port on {settings.Hostname} runs without TLS; anyone who reaches it can join.");
var cluster = Cluster.Get(system);
cluster.RegisterOnMemberUp(() =>
    Console.WriteLine($"lighthouse up at {cluster.SelfAddress}, seeds: {string.Join(", ", settings.Seeds)}"));
CommandAgents.Start(system);
CommandServer? commandHost = null;
if (settings.Cmd is { Enabled: true } cmd)
{
    LogBuffer.Get(system).Capacity = cmd.LogBufferSize;
    try
    {
        commandHost = CommandServer.Start(cmd, system, "lighthouse", ["lighthouse"],
            [ClusterPalette.Create(system, TimeProvider.System), ActorPalette.Create(system, TimeProvider.System), LogPalette.Create(system)],
            LighthouseSettings.CmdTokenHint);
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine($"lighthouse: {e.Message}");
        return 2;
    }
}

var stoppedFromOutside = await Task.WhenAny(stop.Task, system.WhenTerminated) != stop.Task;
if (commandHost is not null)
    await commandHost.DisposeAsync();
// Told to leave (schedctl cluster leave) is a normal end; downed is not, so a supervisor restarts it.
if (stoppedFromOutside && CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
{
    Console.Error.WriteLine("lighthouse: the cluster removed this node (downed or shut down from outside); exiting.");
    return 1;
}
Console.WriteLine(stoppedFromOutside ? "lighthouse: left the cluster as asked; exiting." : "lighthouse: leaving the cluster");
await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
return 0;
