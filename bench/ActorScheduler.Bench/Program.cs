using ActorScheduler.Bench;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Scenarios;
using ActorScheduler.Bench.Storage;
using Npgsql;

// stdout carries only the result table (and a scale child's protocol lines): everything else that writes to
// the console, Akka's logger included, goes to stderr.
var stdout = Console.Out;
Console.SetOut(Console.Error);

if (args.FirstOrDefault() == "--child")
    return await ScaleChild.RunAsync(args, stdout);

if (args.Any(a => a is "--help" or "-h"))
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

Progress.Say($"ActorScheduler vs {string.Join(" and ", options.Systems.Select(s => s == "quartz" ? "Quartz.NET 4.7.3" : "Hangfire 1.8.25"))} — {(options.Quick ? "quick" : "full")} run of {string.Join(",", options.Scenarios)} " +
    $"on {string.Join(",", options.Databases)}; {Environment.ProcessorCount} cores; data under {options.WorkRoot}");
var table = new ResultTable();
var failures = 0;
foreach (var kind in options.Databases)
{
    var workspace = new Workspace(options, kind);
    if (kind == DatabaseKind.Postgres && await PostgresProblemAsync(options.PostgresConnection) is { } problem)
    {
        table.Add($"all ({workspace.Name})", "PostgreSQL unreachable (run bench/run.sh, which starts it)", "", Better.Higher, Cell.Missing("—"), Cell.Missing(problem), Cell.Missing(problem));
        failures++;
        continue;
    }
    await using var context = new ScenarioContext(options, workspace, table);
    foreach (var scenario in options.Scenarios)
    {
        Progress.Say($"{scenario} on {workspace.Name}");
        try
        {
            await (scenario switch
            {
                "create" => CreateScenario.RunAsync(context),
                "burst" => BurstScenario.RunAsync(context),
                "steady" => SteadyScenario.RunAsync(context),
                "recover" => RecoverScenario.RunAsync(context),
                "dashboard" => DashboardScenario.RunAsync(context),
                "retention" => RetentionScenario.RunAsync(context),
                _ => ScaleScenario.RunAsync(context),
            });
        }
        catch (Exception e)
        {
            failures++;
            Progress.Say($"{scenario} on {workspace.Name} failed: {e}");
            table.Add($"{scenario} ({workspace.Name})", "scenario failed", "", Better.Higher, Cell.Missing($"{e.GetType().Name}: {e.Message}"), Cell.Missing("—"), Cell.Missing("—"));
        }
    }
}

if (Directory.Exists(options.WorkRoot) && !Directory.EnumerateFileSystemEntries(options.WorkRoot).Any())
    Directory.Delete(options.WorkRoot);
await stdout.WriteAsync(table.ToMarkdown());
await stdout.FlushAsync();
return failures == 0 ? 0 : 1;

static async Task<string?> PostgresProblemAsync(string connectionString)
{
    try
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return null;
    }
    catch (Exception e)
    {
        return $"{e.GetType().Name}: {e.Message}";
    }
}
