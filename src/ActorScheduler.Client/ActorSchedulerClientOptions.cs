using ActorScheduler.Client.Protocol;
using Akka.Actor;

namespace ActorScheduler.Client;

/// <summary>How an <see cref="ActorSchedulerClient"/> reaches the cluster and how patient it is.</summary>
public sealed record ActorSchedulerClientOptions
{
    /// <summary>
    /// Gateway or scheduler nodes to contact first, as cluster addresses
    /// (<c>akka.tcp://actor-scheduler@10.0.0.5:4053</c>) or full receptionist paths. One reachable node is enough:
    /// the client then learns the others and moves to one of them when its node goes away.
    /// </summary>
    public required IReadOnlyList<string> ContactPoints { get; init; }

    /// <summary>
    /// The address the client's own remoting listens on. Replies come back to it, so cluster nodes must be able to
    /// reach it: keep the loopback default only when the cluster runs on the same machine. Default: 127.0.0.1
    /// </summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The address nodes should use for the client when it differs from <see cref="Hostname"/> (NAT, 0.0.0.0).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>
    /// The cluster's API token (the gateway's bearer token, <c>actor-scheduler.gateway.token</c>), sent with every call.
    /// Required by a cluster that has one: without it every call fails with <see cref="UnauthorizedException"/>.
    /// Default: none
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// The cluster's certificate, when its transport uses TLS (actor-scheduler.cluster.tls): the client presents it to
    /// the nodes, and contact points are then <c>akka.ssl.tcp://…</c> addresses. Default: none (plain transport)
    /// </summary>
    public Transport.ClusterTls? Tls { get; init; }

    /// <summary>The client's remoting port; 0 picks a free one. Default: 0</summary>
    public int Port { get; init; }

    /// <summary>
    /// How long a request waits for its answer before it fails with <see cref="SchedulerUnavailableException"/>.
    /// Longer than a node's own ask timeout (30 s), so a slow job is reported by the node rather than guessed at
    /// here. Default: 40 s
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>
    /// How often the client renews its waits and subscriptions with the cluster. Must stay well below the
    /// receptionist's <c>response-tunnel-receive-timeout</c> (30 s), which closes a quiet reply channel; the
    /// renewal is also what re-registers them after a reconnect. Default: 10 s
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The client's actor system name (log lines, the cluster's view of the client). Default: actor-scheduler-client</summary>
    public string SystemName { get; init; } = "actor-scheduler-client";

    /// <summary>Akka log level of the client's actor system. Default: WARNING</summary>
    public string LogLevel { get; init; } = "WARNING";

    /// <summary>Extra HOCON laid over the client's configuration (for instance <c>akka.cluster.client</c> timings).</summary>
    public string? ExtraHocon { get; init; }

    /// <summary>The receptionist paths of <see cref="ContactPoints"/>; throws for an entry that is not a remote address.</summary>
    internal IReadOnlyList<ActorPath> ReceptionistPaths() => ContactPoints.Count == 0
        ? throw new ArgumentException("Give at least one contact point, such as akka.tcp://actor-scheduler@127.0.0.1:4053.", nameof(ContactPoints))
        : ContactPoints.Select(ReceptionistPath).ToList();

    private static ActorPath ReceptionistPath(string contact)
    {
        var text = (contact ?? "").Trim().TrimEnd('/');
        if (!text.EndsWith(ClientProtocol.ReceptionistPath, StringComparison.Ordinal))
            text += ClientProtocol.ReceptionistPath;
        if (!ActorPath.TryParse(text, out var path) || path.Address.Host is null || path.Address.Port is null)
            throw new ArgumentException(
                $"Contact point '{contact}' is not a cluster node address such as akka.tcp://actor-scheduler@127.0.0.1:4053.", nameof(ContactPoints));
        return path;
    }
}
