using System.Net;
using ActorScheduler.Client.Transport;
using ActorScheduler.Engine.Configuration;
using ActorScheduler.Engine.Protocol;
using Akka.Configuration;

namespace ActorScheduler.Engine.Hosting;

/// <summary>
/// <c>actor-scheduler.cluster</c>: how the cluster transport is secured. A transport that other machines can reach
/// (any address but loopback) must use TLS unless <see cref="AllowInsecure"/> says otherwise, and a node that
/// answers embedded clients there (gateway, scheduler) must have the API token.
/// </summary>
/// <param name="Hostname">The transport's address (<c>akka.remote.dot-netty.tcp.hostname</c>, CLUSTER_IP).</param>
public sealed record ClusterSettings(ClusterTls? Tls, bool AllowInsecure, string Hostname)
{
    /// <summary>Loopback only: nothing off this machine reaches the port.</summary>
    public bool LoopbackOnly => IsLoopback(Hostname);

    public static ClusterSettings From(Config config, IReadOnlySet<string> roles, string? token)
    {
        var cluster = new ConfigSection(config, "actor-scheduler.cluster");
        var tls = cluster.Section("tls");
        var certificate = tls.String("certificate");
        var settings = new ClusterSettings(
            certificate.Length == 0 ? null : new ClusterTls(Path.GetFullPath(certificate), tls.String("password"), tls.List("trusted-thumbprints")),
            cluster.Bool("allow-insecure"),
            config.GetString("akka.remote.dot-netty.tcp.hostname", "127.0.0.1")!);
        settings.Check(config.GetStringList("akka.cluster.seed-nodes"), roles, token);
        return settings;
    }

    private void Check(IEnumerable<string> seeds, IReadOnlySet<string> roles, string? token)
    {
        if (!LoopbackOnly && Tls is null && !AllowInsecure)
            throw new ConfigurationException(
                $"The cluster transport listens on {Hostname}, which other machines can reach, without TLS: anyone reaching the port could join " +
                "as a worker or send this node commands. Set actor-scheduler.cluster.tls.certificate (CLUSTER_TLS_CERTIFICATE; scripts/dev-cert " +
                "makes one for development), or on an isolated, trusted network only set actor-scheduler.cluster.allow-insecure = on.");
        if (!LoopbackOnly && (roles.Contains(NodeRoles.Scheduler) || roles.Contains(NodeRoles.Gateway)) &&
            GatewaySettings.TokenProblem(token, $"The cluster transport listens on {Hostname} and this node answers embedded clients there: it") is { } problem)
            throw new ConfigurationException(problem);
        var scheme = Tls is null ? ClusterTls.PlainScheme : ClusterTls.Scheme;
        foreach (var seed in seeds.Where(seed => !seed.StartsWith(scheme + "://", StringComparison.Ordinal)))
            throw new ConfigurationException(
                $"Seed node '{seed}' must be an {scheme}:// address: this node's cluster transport {(Tls is null ? "does not use" : "uses")} TLS, " +
                "and every member of a cluster must do the same.");
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
