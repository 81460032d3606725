using System.Diagnostics;
using System.Text.Json;
using ActorScheduler.Bench.Report;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// scale: N recurring jobs registered within a time budget, then resident memory and idle CPU of a process
/// holding them, and the time from starting a new process on the same data (a cold restart) to the first run.
/// Each step is a child process of its own (<see cref="ScaleChild"/>).
/// </summary>
public static class ScaleScenario
{
    private sealed record Outcome(ScaleReport Register, ScaleReport? Restart, double? SpawnToFire, string? Problem);

    public static async Task RunAsync(ScenarioContext context)
    {
        var sizes = context.Sizes;
        var ourDatabase = await context.NewOurDatabaseAsync("scale");
        var ours = await MeasureAsync(context, "ours", ourDatabase.Kind, ourDatabase.DataDirectory, ourDatabase.PostgresConnection);
        Outcome? quartz = null, hangfire = null;
        if (context.Options.Runs("quartz"))
        {
            var quartzDatabase = await context.NewQuartzDatabaseAsync("scale");
            quartz = await MeasureAsync(context, "quartz", quartzDatabase.Kind, quartzDatabase.ConnectionString, null);
        }
        if (context.Options.Runs("hangfire"))
        {
            var hangfireDatabase = await context.NewHangfireDatabaseAsync("scale");
            hangfire = await MeasureAsync(context, "hangfire", hangfireDatabase.Kind, hangfireDatabase.Location, null);
        }

        var label = context.Label("scale", $"N={sizes.Scale:N0}");
        void Row(string metric, string unit, Better better, Func<Outcome, Cell> cell) =>
            context.Table.Add(label, metric, unit, better, cell(ours),
                quartz is null ? ScenarioContext.NotSelected : cell(quartz), hangfire is null ? ScenarioContext.NotSelected : cell(hangfire));
        Row($"jobs registered within {sizes.ScaleBudget.TotalMinutes:N0} min (ours: Define × {SetUp.Concurrency} in flight; Quartz: ScheduleJobs × 500; " +
            $"Hangfire: RecurringJobManager.AddOrUpdate × {SetUp.Concurrency} in flight)", "jobs", Better.Higher, o => Registered(o, sizes.Scale));
        Row("registration rate", "jobs/s", Better.Higher, o => Pick(o, x => x.Register.Registered / Math.Max(x.Register.RegisterSeconds, 1e-3)));
        Row("resident memory after registration", "MiB", Better.Lower, o => Pick(o, x => x.Register.ResidentMiB));
        Row($"idle CPU over {sizes.IdleWindow.TotalSeconds:N0} s (1 job/s firing)", "cores", Better.Lower, o => Pick(o, x => x.Register.IdleCores));
        Row("resident memory after that idle window", "MiB", Better.Lower, o => Pick(o, x => x.Register.ResidentAfterIdleMiB));
        Row("cold restart (new process) → firing again", "s", Better.Lower, o => Pick(o, x => x.SpawnToFire));
        Row($"resident memory {sizes.RestartSettle.TotalSeconds:N0} s after restart", "MiB", Better.Lower, o => Pick(o, x => x.Restart?.ResidentMiB));
    }

    private static async Task<Outcome> MeasureAsync(ScenarioContext context, string system, DatabaseKind kind, string location, string? ourConnection)
    {
        var sizes = context.Sizes;
        var arguments = new ScaleChild.Arguments(
            "register", system, kind, location, sizes.Scale, sizes.ScaleBudget, sizes.IdleWindow, sizes.RestartSettle, ourConnection);
        var limit = sizes.ScaleBudget + sizes.IdleWindow + TimeSpan.FromMinutes(5);
        Progress.Say($"  scale {system}: registering {sizes.Scale:N0} jobs in a child process (budget {sizes.ScaleBudget.TotalSeconds:N0} s)");
        var (register, _, registerError) = await RunChildAsync(arguments, limit);
        if (register is null || register.Error is not null && register.Registered == 0)
            return new Outcome(register ?? new ScaleReport(), null, null, register?.Error ?? registerError);

        Progress.Say($"  scale {system}: cold restart");
        var (restart, spawnToFire, restartError) = await RunChildAsync(arguments with { Mode = "restart" }, sizes.RestartSettle + sizes.IdleWindow + TimeSpan.FromMinutes(4));
        Progress.Say($"  scale {system}: firing {spawnToFire:F1} s after the new process was started");
        return new Outcome(register, restart, spawnToFire, restart?.Error ?? restartError);
    }

    /// <summary>Runs a child to completion (or kills it at <paramref name="limit"/>): its report and when it said FIRED.</summary>
    private static async Task<(ScaleReport? Report, double? SpawnToFire, string? Error)> RunChildAsync(ScaleChild.Arguments arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(typeof(ScaleScenario).Assembly.Location);
        foreach (var arg in arguments.ToArgs())
            start.ArgumentList.Add(arg);

        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the scale child process");
        using var timeout = new CancellationTokenSource(limit);
        (ScaleReport? report, double? fired) = (null, null);
        try
        {
            while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == ScaleChild.FiredLine)
                    fired = clock.Elapsed.TotalSeconds;
                else if (line.StartsWith(ScaleChild.ResultPrefix, StringComparison.Ordinal))
                    report = JsonSerializer.Deserialize<ScaleReport>(line[ScaleChild.ResultPrefix.Length..]);
            }
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return (report, fired, $"child did not finish within {limit.TotalSeconds:N0} s");
        }
        return (report, fired, report is null ? $"child exited with {child.ExitCode} and no report" : null);
    }

    private static Cell Registered(Outcome outcome, int n) => outcome switch
    {
        { Register.Registered: > 0 } => Cell.Of(outcome.Register.Registered,
            outcome.Register.BudgetReached ? $"budget reached after {outcome.Register.RegisterSeconds:N0} s: {100.0 * outcome.Register.Registered / n:F0} % of N" : outcome.Problem),
        _ => Cell.Missing(outcome.Problem ?? "nothing registered"),
    };

    private static Cell Pick(Outcome outcome, Func<Outcome, double?> pick) =>
        pick(outcome) is { } value ? Cell.Of(value) : Cell.Missing(outcome.Problem ?? "no result");
}
