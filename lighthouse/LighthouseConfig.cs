using Akka.Configuration;

namespace ActorScheduler.Lighthouse;

/// <summary>The embedded lighthouse.conf, with the address and seeds of <see cref="LighthouseSettings"/> over it.</summary>
public static class LighthouseConfig
{
    /// <summary>lighthouse.conf as shipped, without anything from the environment.</summary>
    public static Config Embedded()
    {
        using var stream = typeof(LighthouseConfig).Assembly.GetManifestResourceStream("lighthouse.conf")
            ?? throw new FileNotFoundException("lighthouse.conf is not embedded in the lighthouse assembly.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>What the actor system starts with: the configuration, and the cluster certificate when it uses TLS.</summary>
    public static Akka.Actor.Setup.ActorSystemSetup Setup(LighthouseSettings settings)
    {
        var bootstrap = Akka.Actor.BootstrapSetup.Create().WithConfig(For(settings));
        return settings.Tls is { } tls ? bootstrap.And(tls.Setup()) : Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap);
    }

    /// <summary>The settings over lighthouse.conf: what the actor system starts with (Akka.Cluster adds its own defaults below).</summary>
    public static Config For(LighthouseSettings settings)
    {
        var seeds = string.Join(", ", settings.Seeds.Select(Quote));
        var fromEnvironment = ConfigurationFactory.ParseString($"""
            akka.remote.dot-netty.tcp.hostname = {Quote(settings.Hostname)}
            akka.remote.dot-netty.tcp.port = {settings.Port}
            akka.cluster.seed-nodes = [{seeds}]
            """);
        var withTls = settings.Tls is null ? fromEnvironment : fromEnvironment.WithFallback(ActorScheduler.Client.Transport.ClusterTls.Hocon);
        return withTls.WithFallback(Embedded()).WithFallback(ActorScheduler.CommandHost.Remote.AgentSerializer.Hocon);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
