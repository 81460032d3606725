using ActorScheduler.Engine.Serialization;
using ActorScheduler.Engine.Storage;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Persistence.Sql;

namespace ActorScheduler.Engine.Hosting;

/// <summary>Loads the embedded HOCON files and stacks the layers in their documented order (hocon/README.md).</summary>
public static class EngineConfig
{
    public static string ReadEmbedded(string fileName)
    {
        using var stream = typeof(EngineConfig).Assembly.GetManifestResourceStream($"hocon/{fileName}")
            ?? throw new FileNotFoundException($"hocon/{fileName} is not embedded in {typeof(EngineConfig).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// <paramref name="overrides"/> (from appsettings and environment, built by the host) over the profile file
    /// over base.conf, then the libraries' own defaults.
    /// </summary>
    /// <remarks>The profile file is the one <c>actor-scheduler.database.provider</c> names (sqlite.conf or postgres.conf).</remarks>
    public static Config Load(Config? overrides = null)
    {
        var baseFile = ConfigurationFactory.ParseString(ReadEmbedded("base.conf"));
        overrides ??= Config.Empty;
        var profile = ConfigurationFactory.ParseString(ReadEmbedded($"{DatabaseSettings.ProviderOf(overrides.WithFallback(baseFile))}.conf"));
        return overrides.WithFallback(profile.WithFallback(baseFile));
    }

    /// <summary>Adds what the node computes (connection strings, the drain phase's time-out) and the libraries' reference configs.</summary>
    public static Config Complete(Config config, EngineSettings settings)
    {
        var connection = EngineDatabase.ConnectionString(settings.Database).Replace("\\", "\\\\").Replace("\"", "\\\"");
        var computed = ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql.connection-string = "{{connection}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{connection}}"
            akka.persistence.query.journal.sql.connection-string = "{{connection}}"
            # A stopping worker drains its runs in this phase (actor-scheduler.worker.drain-timeout).
            akka.coordinated-shutdown.phases.before-cluster-shutdown.timeout = {{(int)(settings.Worker.DrainTimeout + TimeSpan.FromSeconds(5)).TotalMilliseconds}}ms
            """);
        return computed.WithFallback(config)
            .WithFallback(JournalSerializationConfig.Hocon)
            .WithFallback(ClientApi.ClientService.Hocon)
            .WithFallback(CommandHost.Remote.AgentSerializer.Hocon)
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(DistributedPubSub.DefaultConfig())
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }
}
