using System.Diagnostics;
using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Systems;
using ActorScheduler.Gateway;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// dashboard: what the dashboard asks the gateway for, with 100,000 jobs defined (5,000 with --quick): the page, a
/// job-list page (first, deep by cursor, by status, by id search), the overview's stats and the workers. Each
/// request is sent 30 times one after another over a real socket after 3 unmeasured ones; the table gives the
/// median and the slowest, in milliseconds. Ours only: Quartz's harness has no dashboard.
/// </summary>
public static class DashboardScenario
{
    private const int Rounds = 30;

    public static async Task RunAsync(ScenarioContext context)
    {
        var n = context.Options.Quick ? 5_000 : 100_000;
        await using var system = await context.StartOursAsync("dashboard", new FireLog());
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var jobs = Enumerable.Range(0, n).Select(i => new BenchJob(BenchJob.IdOf("dash", i), later)).ToList();
        Progress.Say($"  defining {n:N0} jobs");
        var created = await ClientDriver.CreateAllAsync(system, jobs, context.Options.Concurrency, TimeSpan.FromMinutes(10), "dashboard");
        Progress.Say($"  {created.Created:N0} defined in {created.Elapsed.TotalSeconds:F1} s");

        await using var gateway = await GatewayServer.StartAsync(system.Engine.Jobs, system.Engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0 });
        using var http = new HttpClient { BaseAddress = gateway.Url, Timeout = TimeSpan.FromSeconds(60) };
        // The index follows the journal by milliseconds: wait until the list sees the last job.
        var last = BenchJob.IdOf("dash", n - 1);
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(2); await Task.Delay(200))
            if ((await http.GetStringAsync($"api/v1/jobs?q={last}&limit=1")).Contains(last, StringComparison.Ordinal))
                break;

        var label = context.Label("dashboard", $"{n:N0} jobs");
        (string Name, string Path)[] requests =
        [
            ("page /", ""),
            ("jobs, first page of 50", "api/v1/jobs?limit=50"),
            ("jobs, a page deep in the list (cursor)", $"api/v1/jobs?limit=50&after={BenchJob.IdOf("dash", n * 9 / 10)}"),
            ("jobs by status (scheduled)", "api/v1/jobs?status=scheduled&limit=50"),
            ("jobs by id search (no match: whole index)", "api/v1/jobs?q=no-such-job&limit=50"),
            ("jobs by id search (one match)", $"api/v1/jobs?q={BenchJob.IdOf("dash", n / 2)}&limit=50"),
            ("overview stats", "api/v1/stats"),
            ("workers", "api/v1/workers"),
        ];
        foreach (var (name, path) in requests)
        {
            var times = await TimeAsync(http, path);
            Progress.Say($"  {name}: median {times.Median:F1} ms, max {times.Max:F1} ms");
            context.Table.Add(label, $"{name}: median ms (max {times.Max:F1})", "ms", Better.Lower, Cell.Of(times.Median), Cell.Missing("no dashboard"), Cell.Missing("not measured"));
        }
    }

    private static async Task<(double Median, double Max)> TimeAsync(HttpClient http, string path)
    {
        var times = new List<double>(Rounds);
        for (var i = 0; i < Rounds + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (i >= 3)
                times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[^1]);
    }
}
