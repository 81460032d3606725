using ActorScheduler.Client.Protocol;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;

namespace ActorScheduler.Client;

/// <summary>The client's actor system configuration: plain remoting (it never joins the cluster) plus our wire format.</summary>
internal static class ClientConfig
{
    public static Config For(ActorSchedulerClientOptions options)
    {
        var publicHostname = options.PublicHostname is { } name ? $"public-hostname = {Quote(name)}" : "";
        var own = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{Quote(options.LogLevel)}}
              stdout-loglevel = WARNING
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = remote
              remote.dot-netty.tcp {
                hostname = {{Quote(options.Hostname)}}
                {{publicHostname}}
                port = {{options.Port}}
              }
              # The application owns the process: disposing the client never ends it.
              coordinated-shutdown.exit-clr = off
            }
            """);
        var extra = string.IsNullOrWhiteSpace(options.ExtraHocon) ? Config.Empty : ConfigurationFactory.ParseString(options.ExtraHocon);
        if (options.Tls is not null)
            own = Transport.ClusterTls.Hocon.WithFallback(own);
        // A non-member system has neither extension started, so their reference configs (ClusterClient settings,
        // the pub-sub envelope serializer that wraps every Send) must be added by hand.
        return extra.WithFallback(own)
            .WithFallback(ClientProtocolConfig.Hocon)
            .WithFallback(ClusterClientReceptionist.DefaultConfig())
            .WithFallback(DistributedPubSub.DefaultConfig());
    }

    /// <summary>The actor system's setup: the configuration, and the cluster certificate when the cluster uses TLS.</summary>
    public static ActorSystemSetup Setup(ActorSchedulerClientOptions options)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(For(options));
        return options.Tls is { } tls ? bootstrap.And(tls.Setup()) : ActorSystemSetup.Create(bootstrap);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
