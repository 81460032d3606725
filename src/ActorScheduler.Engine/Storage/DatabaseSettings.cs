using ActorScheduler.Engine.Configuration;
using Akka.Configuration;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// <c>actor-scheduler.database</c> (hocon/base.conf): the database that holds journal, snapshots and the job index.
/// Read from the whole configuration, so the journal plugins (which Akka creates from HOCON) find it as the host does.
/// </summary>
public sealed record DatabaseSettings(string Provider, string SqliteFile, int BusyTimeoutMs, string PostgresConnection)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public bool IsPostgres => Provider == Postgres;

    public static DatabaseSettings From(Config config)
    {
        var root = new ConfigSection(config, "actor-scheduler");
        var database = root.Section("database");
        var provider = ProviderOf(config);
        return new DatabaseSettings(
            provider,
            System.IO.Path.Combine(DataDirectory(config), database.String("sqlite-file")),
            database.PositiveInt("busy-timeout-ms"),
            database.String("postgres-connection"));
    }

    /// <summary>The provider named by the configuration, checked; it also selects the profile file (sqlite.conf, postgres.conf).</summary>
    public static string ProviderOf(Config config)
    {
        var provider = new ConfigSection(config, "actor-scheduler.database").String("provider").Trim().ToLowerInvariant();
        return provider is Sqlite or Postgres
            ? provider
            : throw new ConfigurationException($"actor-scheduler.database.provider must be {Sqlite} or {Postgres}; got '{provider}'.");
    }

    /// <summary><c>actor-scheduler.data-directory</c> as an absolute path (relative ones are relative to the working directory).</summary>
    public static string DataDirectory(Config config) =>
        System.IO.Path.GetFullPath(new ConfigSection(config, "actor-scheduler").String("data-directory"));
}
