namespace ActorScheduler.Bench;

public enum DatabaseKind { Sqlite, Postgres }

/// <summary>
/// How big each scenario is. <see cref="Full"/> follows the issue; <see cref="Quick"/> is a CI smoke run.
/// <see cref="Warmup"/> jobs are enough distinct ids to reach nearly all of ActorScheduler's 100 shards, whose
/// first use allocates them, before anything is timed.
/// </summary>
public sealed record Sizes(
    int Create,
    int Burst,
    int SteadyRate,
    int SteadySeconds,
    int Scale,
    TimeSpan ScaleBudget,
    TimeSpan IdleWindow,
    TimeSpan RestartSettle,
    int Warmup)
{
    public static readonly Sizes Full = new(10_000, 10_000, 1_000, 60, 1_000_000,
        TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), 500);

    public static readonly Sizes Quick = new(1_000, 1_000, 100, 10, 5_000,
        TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 300);
}

/// <summary>The command line of the harness (see bench/README.md).</summary>
public sealed record BenchOptions(
    bool Quick,
    IReadOnlyList<DatabaseKind> Databases,
    IReadOnlyList<string> Scenarios,
    Sizes Sizes,
    int Concurrency,
    string PostgresConnection,
    string WorkRoot,
    IReadOnlyList<string> Systems)
{
    public static readonly IReadOnlyList<string> AllScenarios = ["create", "burst", "steady", "scale", "recover", "dashboard", "retention"];

    /// <summary>The systems ActorScheduler is compared with; ActorScheduler itself always runs (it is every ratio's base).</summary>
    public static readonly IReadOnlyList<string> AllSystems = ["quartz", "hangfire"];

    public bool Runs(string system) => Systems.Contains(system);

    /// <summary>Local PostgreSQL as bench/run.sh prepares it; BENCH_PG overrides it.</summary>
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=asbench;Password=asbench;Database=asbench";

    public const string Usage = """
        dotnet run -c Release --project bench/ActorScheduler.Bench -- [options]
          --quick                    sizes for a smoke run (about a tenth; the whole run takes a couple of minutes)
          --db sqlite|postgres|both  databases to run on (default sqlite)
          --scenario LIST            comma-separated: create,burst,steady,scale,recover,dashboard,retention (default all)
          --systems LIST             systems to compare ActorScheduler with, comma-separated: quartz,hangfire (default both;
                                     ActorScheduler always runs)
          --n N                      jobs for create, burst, recover and scale (overrides the mode's sizes)
          --scale-n N                jobs for scale only
          --steady-rate R            jobs due per second in steady (default 1000, quick 100)
          --steady-seconds S         length of steady (default 60, quick 10)
          --scale-budget SECONDS     time each system may spend registering the scale jobs (default 900, quick 60)
          --concurrency C            client calls in flight while creating (default 64)
          --pg CONNECTION            PostgreSQL connection string (default BENCH_PG or the one bench/run.sh sets up)
          --work DIR                 where the SQLite files go (default a new directory under /tmp)
        Progress goes to stderr; the result table (Markdown) to stdout.
        """;

    /// <exception cref="ArgumentException">The command line is not understood; the message says why.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--quick")
                quick = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
                values[arg[2..]] = args[++i];
            else
                throw new ArgumentException($"Unexpected argument '{arg}'.");
        }
        var known = new HashSet<string> { "db", "scenario", "systems", "n", "scale-n", "steady-rate", "steady-seconds", "scale-budget", "concurrency", "pg", "work" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new ArgumentException($"Unknown option --{unknown}.");

        var sizes = quick ? Sizes.Quick : Sizes.Full;
        if (Int(values, "n") is { } n)
            sizes = sizes with { Create = n, Burst = n, Scale = n };
        sizes = sizes with
        {
            Scale = Int(values, "scale-n") ?? sizes.Scale,
            SteadyRate = Int(values, "steady-rate") ?? sizes.SteadyRate,
            SteadySeconds = Int(values, "steady-seconds") ?? sizes.SteadySeconds,
            ScaleBudget = Int(values, "scale-budget") is { } budget ? TimeSpan.FromSeconds(budget) : sizes.ScaleBudget,
        };
        if (sizes.Scale < 2)
            throw new ArgumentException("scale needs at least 2 jobs (one of them is the sentinel that shows firing).");

        var scenarios = (values.GetValueOrDefault("scenario") ?? string.Join(',', AllScenarios))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (scenarios.FirstOrDefault(s => !AllScenarios.Contains(s)) is { } badScenario)
            throw new ArgumentException($"Unknown scenario '{badScenario}'; choose from {string.Join(", ", AllScenarios)}.");

        var systems = (values.GetValueOrDefault("systems") ?? string.Join(',', AllSystems))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s is not ("ours" or "actorscheduler")).ToList();
        if (systems.FirstOrDefault(s => !AllSystems.Contains(s)) is { } badSystem)
            throw new ArgumentException($"Unknown system '{badSystem}'; choose from {string.Join(", ", AllSystems)}.");

        return new BenchOptions(
            quick,
            ParseDatabases(values.GetValueOrDefault("db") ?? "sqlite"),
            AllScenarios.Where(scenarios.Contains).ToList(),
            sizes,
            Int(values, "concurrency") ?? 64,
            values.GetValueOrDefault("pg") ?? Environment.GetEnvironmentVariable("BENCH_PG") ?? DefaultPostgres,
            values.GetValueOrDefault("work") ?? Path.Combine(Path.GetTempPath(), "as-bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss")),
            AllSystems.Where(systems.Contains).ToList());
    }

    private static IReadOnlyList<DatabaseKind> ParseDatabases(string text) => text switch
    {
        "sqlite" => [DatabaseKind.Sqlite],
        "postgres" => [DatabaseKind.Postgres],
        "both" => [DatabaseKind.Sqlite, DatabaseKind.Postgres],
        _ => throw new ArgumentException($"--db must be sqlite, postgres or both, not '{text}'."),
    };

    private static int? Int(Dictionary<string, string> values, string key)
    {
        if (!values.TryGetValue(key, out var text))
            return null;
        return int.TryParse(text.Replace("_", "").Replace(",", ""), out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{key} must be a positive whole number, not '{text}'.");
    }
}
