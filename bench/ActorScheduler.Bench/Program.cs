using System.Diagnostics;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Hosting;
using Akka.Configuration;

// Scenario "hold": create N jobs (embedded client path), each due once somewhere in the next hour, then report
// the creation rate, the process's resident memory and its CPU use while idle.
//   dotnet run -c Release --project bench/ActorScheduler.Bench -- hold [N] [idle-seconds]
var scenario = args.ElementAtOrDefault(0) ?? "hold";
if (scenario != "hold")
{
    Console.Error.WriteLine($"Unknown scenario '{scenario}'. Scenarios: hold [jobs] [idle-seconds]");
    return 2;
}
var jobs = int.Parse(args.ElementAtOrDefault(1) ?? "100000");
var idleSeconds = int.Parse(args.ElementAtOrDefault(2) ?? "30");
var directory = Path.Combine(Path.GetTempPath(), "as-bench-" + Guid.NewGuid().ToString("N"));
var config = EngineConfig.Load(ConfigurationFactory.ParseString($"""
    actor-scheduler.data-directory = "{directory}"
    akka.loglevel = WARNING
    """));
await using var engine = await EngineHost.StartAsync(config, WorkerRunners.Create(EngineSettings.From(config).Worker));

var start = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
var concurrency = new SemaphoreSlim(256);
var failures = 0;
var tasks = Enumerable.Range(0, jobs).Select(async i =>
{
    await concurrency.WaitAsync();
    try
    {
        var id = JobId.Parse($"bench-{i:D7}");
        var definition = new JobDefinition
        {
            Id = id.Value,
            Schedule = new ScheduleSpec { At = start.AddSeconds(60 + 3540.0 * i / jobs) },
            Run = new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } },
        };
        var reply = await engine.Jobs.Define(id, definition, createOnly: true);
        if (!reply.IsOk) Interlocked.Increment(ref failures);
    }
    finally
    {
        concurrency.Release();
        if (i % 10_000 == 9_999) Console.Error.WriteLine($"  {i + 1:N0} jobs created ({clock.Elapsed.TotalSeconds:F1} s)");
    }
}).ToList();
await Task.WhenAll(tasks);
var created = clock.Elapsed;

var process = Process.GetCurrentProcess();
process.Refresh();
var cpuBefore = process.TotalProcessorTime;
await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
process.Refresh();
var idleCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / idleSeconds;
GC.Collect();
process.Refresh();

Console.WriteLine($"| jobs | failures | create time | create rate | resident memory | idle CPU (cores) |");
Console.WriteLine($"|---|---|---|---|---|---|");
Console.WriteLine($"| {jobs:N0} | {failures} | {created.TotalSeconds:F1} s | {jobs / created.TotalSeconds:N0} jobs/s | {process.WorkingSet64 / 1024 / 1024:N0} MiB | {idleCpu:F3} |");
Directory.Delete(directory, recursive: true);
return failures == 0 ? 0 : 1;
