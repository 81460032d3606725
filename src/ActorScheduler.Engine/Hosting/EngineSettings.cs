using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Wakeups;
using Akka.Configuration;

namespace ActorScheduler.Engine.Hosting;

/// <summary>The <c>actor-scheduler</c> section of the configuration, read once (see hocon/base.conf for each key).</summary>
public sealed record EngineSettings(
    string SystemName,
    string DataDirectory,
    IReadOnlySet<string> Roles,
    int ShardCount,
    JobEntitySettings Entity,
    WakeSettings Wake,
    DatabaseSettings Database,
    WorkerSettings Worker,
    GatewaySettings Gateway)
{
    public bool Has(string role) => Roles.Contains(role);

    public static EngineSettings From(Config config)
    {
        var root = config.GetConfig("actor-scheduler") ?? throw new ConfigurationException("Missing actor-scheduler section.");
        var scheduler = root.GetConfig("scheduler");
        var worker = root.GetConfig("worker");
        var shell = worker.GetConfig("shell");
        var gateway = root.GetConfig("gateway");
        var database = root.GetConfig("database");
        var dataDirectory = Path.GetFullPath(root.GetString("data-directory", "data"));
        var roles = root.GetStringList("roles").Select(r => r.Trim().ToLowerInvariant()).ToHashSet();
        var unknown = roles.Except(["scheduler", "worker", "gateway"]).ToList();
        if (roles.Count == 0 || unknown.Count > 0)
            throw new ConfigurationException($"actor-scheduler.roles must list scheduler, worker and/or gateway; got '{string.Join(",", roles)}'.");
        var provider = database.GetString("provider", "sqlite").Trim().ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
            throw new ConfigurationException($"actor-scheduler.database.provider must be sqlite or postgres; got '{provider}'.");
        var postgres = database.GetString("postgres-connection", "");
        if (provider == "postgres" && string.IsNullOrWhiteSpace(postgres) && (roles.Contains("scheduler") || roles.Contains("gateway")))
            throw new ConfigurationException("actor-scheduler.database.provider is postgres but actor-scheduler.database.postgres-connection is empty.");
        if (provider == "sqlite" && !roles.Contains("scheduler") && roles.Contains("gateway"))
            throw new ConfigurationException("A gateway without the scheduler role reads the job list from the shared database: use provider = postgres.");
        var systemName = root.GetString("system-name", "actor-scheduler");
        if (string.IsNullOrWhiteSpace(systemName) || !systemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ConfigurationException($"actor-scheduler.system-name must be letters, digits, '-' or '_'; got '{systemName}'.");
        return new EngineSettings(
            systemName,
            dataDirectory,
            roles,
            scheduler.GetInt("shard-count", 100),
            new JobEntitySettings(scheduler.GetTimeSpan("idle-timeout"), scheduler.GetTimeSpan("keep-alive-horizon"), scheduler.GetInt("snapshot-every", 100)),
            WakeSettings.Default with
            {
                PollInterval = scheduler.GetTimeSpan("wake.poll-interval"),
                Lookahead = scheduler.GetTimeSpan("wake.lookahead"),
                MaxInFlight = scheduler.GetInt("wake.max-in-flight", 200),
            },
            new DatabaseSettings(
                provider,
                Path.Combine(dataDirectory, database.GetString("sqlite-file", "scheduler.db")),
                database.GetInt("busy-timeout-ms", 5000),
                postgres),
            new WorkerSettings(
                worker.GetString("name", "") is { Length: > 0 } name ? name : Environment.MachineName,
                worker.GetStringList("pools"),
                shell.GetBoolean("allow-any-command"),
                shell.GetStringList("allowed-commands"),
                shell.GetStringList("script-directories"),
                shell.GetInt("output-limit", 65536),
                worker.GetTimeSpan("drain-timeout", TimeSpan.FromSeconds(30))),
            new GatewaySettings(gateway.GetString("host", "127.0.0.1"), gateway.GetInt("port", 5080),
                gateway.GetString("token", "") is { Length: > 0 } token ? token : null, gateway.GetTimeSpan("ask-timeout")));
    }
}

public sealed record DatabaseSettings(string Provider, string SqliteFile, int BusyTimeoutMs, string PostgresConnection = "")
{
    public bool IsPostgres => Provider == "postgres";
}

public sealed record WorkerSettings(
    string Name, IList<string> Pools, bool AllowAnyCommand, IList<string> AllowedCommands, IList<string> ScriptDirectories, int OutputLimit,
    TimeSpan DrainTimeout = default);

public sealed record GatewaySettings(string Host, int Port, string? Token, TimeSpan AskTimeout);
