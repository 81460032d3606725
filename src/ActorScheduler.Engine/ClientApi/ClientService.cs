using ActorScheduler.Client.Protocol;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// The cluster side of the embedded client (<c>ActorScheduler.Client</c>): one service actor registered with
/// this node's <see cref="ClusterClientReceptionist"/>, answering requests through <see cref="JobService"/> and
/// pushing run outcomes. Start it on gateway and scheduler nodes (the nodes clients list as contact points), and
/// add <see cref="Hocon"/> to their configuration.
/// </summary>
public static class ClientService
{
    /// <summary>
    /// The client protocol's serializer binding and the receptionist settings this service depends on. Add it to
    /// the node's configuration before the actor system starts. (The <see cref="Triggers.RunCompleted"/> outcomes
    /// the service receives from other nodes travel in the engine's own wire format.)
    /// </summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString("""
        akka.cluster.client.receptionist {
          # A reply channel to a client closes after this long without traffic. Clients renew their waits and
          # subscriptions more often than this (ActorSchedulerClientOptions.KeepAliveInterval, 10 s), which keeps
          # it open. Default: 30s
          response-tunnel-receive-timeout = 30s
          # Contact points handed to a client, from all members (the receptionist cannot filter on "gateway or
          # scheduler"). Nodes without a receptionist (workers) simply do not answer the client, so the list must
          # be long enough to hold the nodes that do: with Akka's default of 3, a client could learn only workers
          # and have nowhere to go when its node dies. Default here: 100 (Akka's: 3)
          number-of-contacts = 100
        }
        """).WithFallback(ClientProtocolConfig.Hocon);

    /// <summary>Starts the service and registers it with the receptionist (which this starts too).</summary>
    public static IActorRef Start(ActorSystem system, JobService jobs)
    {
        var service = system.ActorOf(ClientApiActor.Props(jobs), ClientProtocol.ServiceName);
        ClusterClientReceptionist.Get(system).RegisterService(service);
        return service;
    }
}
