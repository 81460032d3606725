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
    /// The client protocol's serializer binding, added to the node's configuration before the actor system starts
    /// (the receptionist's own settings are in hocon/base.conf; the <see cref="Protocol.RunCompleted"/> outcomes the
    /// service receives from other nodes travel in the engine's own wire format).
    /// </summary>
    public static Config Hocon => ClientProtocolConfig.Hocon;

    /// <summary>Starts the service and registers it with the receptionist (which this starts too).</summary>
    /// <param name="token">The API token every call must carry; null when the node has none.</param>
    public static IActorRef Start(ActorSystem system, JobService jobs, string? token)
    {
        var service = system.ActorOf(ClientApiActor.Props(jobs, token), ClientProtocol.ServiceName);
        ClusterClientReceptionist.Get(system).RegisterService(service);
        return service;
    }
}
