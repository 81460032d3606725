using System.Text;
using ActorScheduler.Engine.Hosting;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorScheduler.Node;

/// <summary>
/// Turns appsettings.json (section <c>ActorScheduler</c>), environment variables (<c>ACTORSCHEDULER__…</c>) and
/// command-line switches into one HOCON layer over the embedded files, in that rising order of precedence
/// (hocon/README.md). This is the only place that reads the environment.
/// </summary>
public static class HostConfiguration
{
    /// <summary>Keys whose value is a list: comma-separated in an environment variable or switch.</summary>
    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--name"] = "actor-scheduler.worker.name",
        ["--pools"] = "actor-scheduler.worker.pools",
        ["--roles"] = "actor-scheduler.roles",
        ["--data"] = "actor-scheduler.data-directory",
        ["--host"] = "actor-scheduler.gateway.host",
        ["--port"] = "actor-scheduler.gateway.port",
        ["--token"] = "actor-scheduler.gateway.token",
        ["--token-file"] = "actor-scheduler.gateway.token-file",
        ["--cmd-port"] = "actor-scheduler.cmd.port",
    };

    public static Config Build(string[] args, string baseDirectory) =>
        Build(args, baseDirectory, Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value));

    /// <param name="environment">The process environment (passed in so that tests need not change their own).</param>
    public static Config Build(string[] args, string baseDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var appsettings = new ConfigurationBuilder()
            .SetBasePath(baseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment.GetValueOrDefault("DOTNET_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .Build().GetSection("ActorScheduler");
        Collect(appsettings, values);
        CopyVariables(environment, OpenTelemetryVariables, values); // below ACTORSCHEDULER__…, which names the same keys more precisely
        const string prefix = "ACTORSCHEDULER__";
        var variables = environment
            .Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key[prefix.Length..].Replace("__", ":"), e.Value));
        Collect(new ConfigurationBuilder().AddInMemoryCollection(variables).Build(), values);
        ReadClusterVariables(environment, values);
        ReadSwitches(args, values);
        return ConfigurationFactory.ParseString(ToHocon(values));
    }

    private static void Collect(IConfiguration source, Dictionary<string, string> values)
    {
        var arrays = new Dictionary<string, List<string>>();
        foreach (var (key, value) in source.AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
                continue;
            var segments = key.Split(':');
            if (int.TryParse(segments[^1], out _))
            {
                var listKey = HoconPath(segments[..^1]);
                (arrays.TryGetValue(listKey, out var list) ? list : arrays[listKey] = []).Add(value);
            }
            else
                values[HoconPath(segments)] = value;
        }
        foreach (var (key, list) in arrays)
            values[key] = string.Join(',', list);
    }

    /// <summary>The conventional cluster variables of Akka.NET deployments (lighthouse, containers).</summary>
    private static void ReadClusterVariables(IReadOnlyDictionary<string, string?> environment, Dictionary<string, string> values)
    {
        if (environment.GetValueOrDefault("ACTORSYSTEM") is { Length: > 0 } system)
            values["actor-scheduler.system-name"] = system;
        if (environment.GetValueOrDefault("CLUSTER_IP") is { Length: > 0 } ip)
            values["akka.remote.dot-netty.tcp.hostname"] = ip == "auto" ? OwnAddress() : ip;
        if (environment.GetValueOrDefault("CLUSTER_PORT") is { Length: > 0 } port)
            values["akka.remote.dot-netty.tcp.port"] = port;
        CopyVariables(environment, ClusterVariables, values);
    }

    /// <summary>Each variable of <paramref name="variables"/> that is set sets its key, as given.</summary>
    private static void CopyVariables(IReadOnlyDictionary<string, string?> environment, (string Variable, string Key)[] variables, Dictionary<string, string> values)
    {
        foreach (var (variable, key) in variables)
            if (environment.GetValueOrDefault(variable) is { Length: > 0 } value)
                values[key] = value;
    }

    /// <summary>Cluster variables that set one key each, as given.</summary>
    private static readonly (string Variable, string Key)[] ClusterVariables =
    [
        ("CLUSTER_SEEDS", "akka.cluster.seed-nodes"),
        ("CLUSTER_TLS_CERTIFICATE", "actor-scheduler.cluster.tls.certificate"),
        ("CLUSTER_TLS_PASSWORD", "actor-scheduler.cluster.tls.password"),
        ("CLUSTER_TLS_TRUSTED", "actor-scheduler.cluster.tls.trusted-thumbprints"),
        ("CLUSTER_ALLOW_INSECURE", "actor-scheduler.cluster.allow-insecure"),
    ];

    /// <summary>The OpenTelemetry SDK's standard exporter variables, for actor-scheduler.telemetry.otlp (docs/TELEMETRY.md).</summary>
    private static readonly (string Variable, string Key)[] OpenTelemetryVariables =
    [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "actor-scheduler.telemetry.otlp.endpoint"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "actor-scheduler.telemetry.otlp.protocol"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "actor-scheduler.telemetry.otlp.headers"),
        ("OTEL_SERVICE_NAME", "actor-scheduler.telemetry.otlp.service-name"),
    ];

    /// <summary>
    /// <c>CLUSTER_IP=auto</c>: this host's first non-loopback IPv4 address — for replicas of one container service,
    /// which cannot each be given their own address in the compose file.
    /// </summary>
    private static string OwnAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a))
            ?.ToString()
        ?? throw new ArgumentException("CLUSTER_IP=auto: this host has no non-loopback IPv4 address.");

    private static void ReadSwitches(string[] args, Dictionary<string, string> values)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!Switches.TryGetValue(args[i], out var key))
                throw new ArgumentException($"Unknown option '{args[i]}'. Options: {string.Join(", ", Switches.Keys)} (each followed by a value).");
            if (i + 1 >= args.Length)
                throw new ArgumentException($"Option '{args[i]}' needs a value.");
            values[key] = args[++i];
        }
    }

    /// <summary>
    /// "Worker:Shell:AllowAnyCommand", "WORKER:SHELL:ALLOWANYCOMMAND" and "worker:shell:allow-any-command" all
    /// mean actor-scheduler.worker.shell.allow-any-command: names are matched against the documented keys
    /// without regard to case or dashes. A name that matches none is refused, not silently ignored.
    /// </summary>
    private static string HoconPath(IReadOnlyList<string> segments)
    {
        var normalized = Normalize("actor-scheduler." + string.Join('.', segments));
        return KnownKeys.Value.TryGetValue(normalized, out var key)
            ? key
            : throw new ArgumentException(
                $"Unknown setting '{string.Join(":", segments)}'. Settings are the keys under actor-scheduler in hocon/base.conf and hocon/sqlite.conf, e.g. Gateway:Port.");
    }

    private static string Normalize(string path) => path.Replace("-", "").Replace("_", "").ToLowerInvariant();

    private static readonly Lazy<Dictionary<string, string>> KnownKeys = new(() => DocumentedKeys().Keys);

    /// <summary>Settings whose value is a list (comma-separated in variables and switches): those the files give as lists.</summary>
    private static readonly Lazy<HashSet<string>> ListKeys = new(() => DocumentedKeys().Lists);

    private static (Dictionary<string, string> Keys, HashSet<string> Lists) DocumentedKeys()
    {
        var keys = new Dictionary<string, string>();
        var lists = new HashSet<string> { "akka.cluster.seed-nodes" };
        void Walk(string prefix, HoconObject node)
        {
            foreach (var (name, value) in node.Items)
            {
                var path = $"{prefix}.{name}";
                if (value.IsObject())
                    Walk(path, value.GetObject());
                else
                {
                    keys[Normalize(path)] = path;
                    // IsArray() is false for an empty list ([]): the parsed element tells.
                    if (value.Values.Any(element => element is HoconArray))
                        lists.Add(path);
                }
            }
        }
        Walk("actor-scheduler", EngineConfig.Load().GetConfig("actor-scheduler").Root.GetObject());
        return (keys, lists);
    }

    private static string ToHocon(Dictionary<string, string> values)
    {
        var hocon = new StringBuilder();
        foreach (var (key, value) in values)
        {
            hocon.Append(key).Append(" = ");
            hocon.AppendLine(ListKeys.Value.Contains(key)
                ? "[" + string.Join(", ", value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Quote)) + "]"
                : Scalar(value));
        }
        return hocon.ToString();
    }

    // JSON booleans arrive as "True"/"False"; HOCON only reads lower-case ones.
    private static string Scalar(string value) => bool.TryParse(value, out var flag) ? (flag ? "true" : "false") : Quote(value);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
