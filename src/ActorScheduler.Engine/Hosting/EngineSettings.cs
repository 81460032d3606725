using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Configuration;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Engine.Wakeups;
using Akka.Configuration;

namespace ActorScheduler.Engine.Hosting;

/// <summary>
/// The <c>actor-scheduler</c> section of the configuration, read once and strictly: every default lives in the
/// embedded HOCON files (hocon/base.conf documents each key), none here.
/// </summary>
public sealed record EngineSettings(
    string SystemName,
    string DataDirectory,
    IReadOnlySet<string> Roles,
    int ShardCount,
    JobEntitySettings Entity,
    WakeSettings Wake,
    DispatchSettings Dispatch,
    DatabaseSettings Database,
    WorkerSettings Worker,
    GatewaySettings Gateway,
    ClusterSettings Cluster,
    OtlpSettings Telemetry,
    Engine.Retention.RetentionSettings Retention,
    Engine.Concurrency.ConcurrencySettings Concurrency)
{
    public bool Has(string role) => Roles.Contains(role);

    /// <summary>Workers (and the lighthouse) never touch the database: only job shards and the gateway's reads do.</summary>
    public bool UsesDatabase => Has(NodeRoles.Scheduler) || Has(NodeRoles.Gateway);

    public static EngineSettings From(Config config)
    {
        var root = new ConfigSection(config, "actor-scheduler");
        var scheduler = root.Section("scheduler");
        var wake = scheduler.Section("wake");
        var dispatch = scheduler.Section("dispatch");
        var roles = ReadRoles(root);
        var database = DatabaseSettings.From(config);
        if (database.IsPostgres && string.IsNullOrWhiteSpace(database.PostgresConnection) && (roles.Contains(NodeRoles.Scheduler) || roles.Contains(NodeRoles.Gateway)))
            throw new ConfigurationException("actor-scheduler.database.provider is postgres but actor-scheduler.database.postgres-connection is empty.");
        if (!database.IsPostgres && !roles.Contains(NodeRoles.Scheduler) && roles.Contains(NodeRoles.Gateway))
            throw new ConfigurationException("A gateway without the scheduler role reads the job list from the shared database: use provider = postgres.");
        var gateway = GatewaySettings.From(root.Section("gateway"));
        var concurrency = Engine.Concurrency.ConcurrencySettings.From(root.Section("concurrency"));
        return new EngineSettings(
            ReadSystemName(root),
            DatabaseSettings.DataDirectory(config),
            roles,
            scheduler.PositiveInt("shard-count"),
            new JobEntitySettings(scheduler.PositiveDuration("idle-timeout"), scheduler.PositiveDuration("keep-alive-horizon"), scheduler.PositiveInt("snapshot-every"),
                scheduler.PositiveDuration("start-journal-delay"),
                new JobLimits(scheduler.PositiveInt("max-runs-in-flight"), scheduler.PositiveInt("max-chain-depth"))),
            new WakeSettings(
                wake.PositiveDuration("poll-interval"), wake.PositiveDuration("lookahead"), wake.PositiveInt("max-loaded"), wake.PositiveInt("max-in-flight"),
                wake.PositiveDuration("resend-after"), wake.PositiveDuration("delivery-timeout"), wake.PositiveDuration("warm-ahead"),
                wake.PositiveDuration("warmed-backstop"), wake.PositiveDuration("rewake-delay")),
            new DispatchSettings(dispatch.PositiveDuration("accept-timeout"), dispatch.PositiveDuration("probe-timeout"),
                dispatch.PositiveInt("max-catch-up-in-flight"), dispatch.PositiveDuration("retry-full-after"), concurrency.KeeperPing),
            database,
            WorkerSettings.From(root.Section("worker")),
            gateway,
            ClusterSettings.From(config, roles, gateway.Token),
            OtlpSettings.From(config),
            Engine.Retention.RetentionSettings.From(root.Section("retention")),
            concurrency);
    }

    private static IReadOnlySet<string> ReadRoles(ConfigSection root)
    {
        var roles = root.List("roles").Select(r => r.Trim().ToLowerInvariant()).ToHashSet();
        if (roles.Count == 0 || roles.Except(NodeRoles.Configurable).Any())
            throw new ConfigurationException(
                $"actor-scheduler.roles must list {string.Join(", ", NodeRoles.Configurable)} (any of them); got '{string.Join(",", roles)}'.");
        return roles;
    }

    private static string ReadSystemName(ConfigSection root)
    {
        var name = root.String("system-name");
        return !string.IsNullOrWhiteSpace(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? name
            : throw new ConfigurationException($"actor-scheduler.system-name must be letters, digits, '-' or '_'; got '{name}'.");
    }
}

/// <summary><c>actor-scheduler.worker</c>: the worker's name, pools and slots, its shell policy and its graceful stop.</summary>
public sealed record WorkerSettings(
    string Name, IReadOnlyList<string> Pools, bool AllowAnyCommand, IReadOnlyList<string> AllowedCommands, IReadOnlyList<string> ScriptDirectories,
    int OutputLimit, TimeSpan DrainTimeout, int Slots, IReadOnlyList<string> PassEnvironment, WorkerHttpSettings Http, string ApiUrl)
{
    public static WorkerSettings From(ConfigSection worker)
    {
        var shell = worker.Section("shell");
        return new WorkerSettings(
            worker.String("name") is { Length: > 0 } name ? name : Environment.MachineName, // documented: empty means the host name
            worker.List("pools"),
            shell.Bool("allow-any-command"),
            shell.List("allowed-commands"),
            shell.List("script-directories"),
            shell.PositiveInt("output-limit"),
            worker.PositiveDuration("drain-timeout"),
            worker.PositiveInt("slots"),
            shell.List("pass-environment"),
            WorkerHttpSettings.From(worker.Section("http")),
            worker.String("api-url"));
    }
}

/// <summary><c>actor-scheduler.worker.http</c>: where HTTP jobs may connect, and their limits.</summary>
public sealed record WorkerHttpSettings(
    bool AllowLoopback, bool AllowPrivateNetworks, IReadOnlyList<string> AllowedNetworks,
    TimeSpan DefaultTimeout, int MaxRedirects, int MaxResponseBytes)
{
    public static WorkerHttpSettings From(ConfigSection http) => new(
        http.Bool("allow-loopback"),
        http.Bool("allow-private-networks"),
        http.List("allowed-networks"),
        http.PositiveDuration("default-timeout"),
        http.NonNegativeInt("max-redirects"),
        http.PositiveInt("max-response-bytes"));
}

/// <summary>
/// <c>actor-scheduler.gateway</c>: where the HTTP API listens, its token (given, or read from <c>token-file</c>), the
/// host names and browser origins it answers, how long a call waits for a job, and the web dashboard (served at
/// <c>/</c> when <paramref name="Dashboard"/>; a sign-in with the token lasts <paramref name="SessionLifetime"/>).
/// </summary>
public sealed record GatewaySettings(
    string Host, int Port, string? Token, TimeSpan AskTimeout, IReadOnlyList<string> AllowedHosts, IReadOnlyList<string> CorsOrigins,
    bool Dashboard, TimeSpan SessionLifetime)
{
    /// <summary>
    /// The shortest token accepted where one is required (anything beyond loopback): a guessable token is no lock.
    /// 32 characters is what <c>openssl rand -hex 16</c> prints.
    /// </summary>
    public const int MinTokenLength = 32;

    /// <summary>Why <paramref name="token"/> cannot guard an address others reach (<paramref name="what"/>), or null when it can.</summary>
    public static string? TokenProblem(string? token, string what) =>
        token is not { Length: > 0 }
            ? $"{what} needs an API token: set actor-scheduler.gateway.token-file (or ACTORSCHEDULER__Gateway__Token), which every call must then carry."
            : token.Length < MinTokenLength
                ? $"{what} needs an API token of at least {MinTokenLength} characters (this one has {token.Length}); make one with: openssl rand -hex 32"
                : null;

    public static GatewaySettings From(ConfigSection gateway) =>
        new(gateway.String("host"), gateway.Int("port"), ReadToken(gateway), gateway.PositiveDuration("ask-timeout"),
            gateway.List("allowed-hosts"), gateway.List("cors-origins"), gateway.Bool("dashboard"), gateway.PositiveDuration("session-lifetime"));

    private static string? ReadToken(ConfigSection gateway)
    {
        var (token, file) = (gateway.String("token"), gateway.String("token-file"));
        if (token.Length > 0 && file.Length > 0)
            throw new ConfigurationException($"Set {gateway.Path}.token or {gateway.Path}.token-file, not both.");
        if (file.Length == 0)
            return token.Length > 0 ? token : null;
        try
        {
            return File.ReadLines(file).FirstOrDefault()?.Trim() is { Length: > 0 } read
                ? read
                : throw new ConfigurationException($"{gateway.Path}.token-file {file} is empty: its first line must be the token.");
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"{gateway.Path}.token-file {file} cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigurationException($"{gateway.Path}.token-file {file} cannot be read: {e.Message}");
        }
    }
}
