using ActorScheduler.Engine.Serialization;
using Akka.Cluster.Sharding;
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
    public static Config Load(Config? overrides = null, string profile = "sqlite")
    {
        var files = ConfigurationFactory.ParseString(ReadEmbedded($"{profile}.conf"))
            .WithFallback(ConfigurationFactory.ParseString(ReadEmbedded("base.conf")));
        return (overrides ?? Config.Empty).WithFallback(files);
    }

    /// <summary>Adds what the node computes (connection strings) and the libraries' reference configs.</summary>
    public static Config Complete(Config config, EngineSettings settings)
    {
        var connection = SqliteDatabase.ConnectionString(settings.Database);
        var computed = ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql.connection-string = "{{connection}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{connection}}"
            akka.persistence.query.journal.sql.connection-string = "{{connection}}"
            """);
        return computed.WithFallback(config)
            .WithFallback(JournalSerializationConfig.Hocon)
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }
}
