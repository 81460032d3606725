using System.Text;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;

namespace ActorScheduler.Node;

/// <summary>
/// Turns appsettings.json (section <c>ActorScheduler</c>), environment variables (<c>ACTORSCHEDULER__…</c>) and
/// command-line switches into one HOCON layer over the embedded files, in that rising order of precedence
/// (hocon/README.md). This is the only place that reads the environment.
/// </summary>
public static partial class HostConfiguration
{
    /// <summary>Keys whose value is a list: comma-separated in an environment variable or switch.</summary>
    private static readonly HashSet<string> ListKeys =
        ["actor-scheduler.roles", "actor-scheduler.worker.pools", "actor-scheduler.worker.shell.allowed-commands",
         "actor-scheduler.worker.shell.script-directories", "akka.cluster.seed-nodes"];

    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--name"] = "actor-scheduler.worker.name",
        ["--pools"] = "actor-scheduler.worker.pools",
        ["--roles"] = "actor-scheduler.roles",
        ["--data"] = "actor-scheduler.data-directory",
        ["--host"] = "actor-scheduler.gateway.host",
        ["--port"] = "actor-scheduler.gateway.port",
        ["--token"] = "actor-scheduler.gateway.token",
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
        const string prefix = "ACTORSCHEDULER__";
        var variables = environment
            .Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key[prefix.Length..].Replace("__", ":"), e.Value));
        Collect(new ConfigurationBuilder().AddInMemoryCollection(variables).Build(), values);
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

    /// <summary>"Worker:Shell:AllowAnyCommand" → actor-scheduler.worker.shell.allow-any-command.</summary>
    private static string HoconPath(IEnumerable<string> segments) =>
        "actor-scheduler." + string.Join('.', segments.Select(Kebab));

    private static string Kebab(string segment) => KebabBoundary().Replace(segment, "$1-$2").Replace('_', '-').ToLowerInvariant();

    private static string ToHocon(Dictionary<string, string> values)
    {
        var hocon = new StringBuilder();
        foreach (var (key, value) in values)
        {
            hocon.Append(key).Append(" = ");
            hocon.AppendLine(ListKeys.Contains(key)
                ? "[" + string.Join(", ", value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Quote)) + "]"
                : Scalar(value));
        }
        return hocon.ToString();
    }

    // JSON booleans arrive as "True"/"False"; HOCON only reads lower-case ones.
    private static string Scalar(string value) => bool.TryParse(value, out var flag) ? (flag ? "true" : "false") : Quote(value);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();
}
