using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// create: N durable jobs (each due once, a day ahead) through each system's own client API, one call per job
/// with a fixed number of calls in flight. Ours twice: embedded (JobService) and over HTTP (POST /api/v1/jobs);
/// Hangfire through BackgroundJobClient.Schedule (synchronous: each call holds its thread).
/// </summary>
public static class CreateScenario
{
    public static async Task RunAsync(ScenarioContext context)
    {
        var n = context.Sizes.Create;
        var limit = TimeSpan.FromSeconds(Math.Max(120, n / 50.0));
        var embedded = await MeasureOursAsync(context, "create-embedded", n, limit, system => Task.FromResult<IJobClient>(system));
        var http = await MeasureOursAsync(context, "create-http", n, limit,
            async system => await OurHttpClient.StartAsync(system.Engine.Jobs, system.Engine.Settings.Gateway));

        var quartz = ScenarioContext.NotSelected;
        if (context.Options.Runs("quartz"))
        {
            var fires = new FireLog();
            await using var system = await context.StartQuartzAsync("create", fires);
            quartz = await MeasureAsync(system, fires, "Quartz", context, n, limit);
        }
        var hangfire = ScenarioContext.NotSelected;
        if (context.Options.Runs("hangfire"))
        {
            var fires = new FireLog();
            await using var system = await context.StartHangfireAsync("create", fires);
            hangfire = await MeasureAsync(system, fires, "Hangfire", context, n, limit);
        }

        var label = context.Label("create", $"N={n:N0}");
        var inFlight = $"{context.Options.Concurrency} calls in flight";
        context.Table.Add(label, $"jobs/s, client API ({inFlight}; ours: embedded JobService; Hangfire: BackgroundJobClient.Schedule)", "jobs/s", Better.Higher, embedded, quartz, hangfire);
        context.Table.Add(label, "jobs/s, ours over HTTP vs the others' in-process API (neither has an HTTP API)", "jobs/s", Better.Higher, http, quartz, hangfire);
    }

    private static async Task<Cell> MeasureOursAsync(
        ScenarioContext context, string run, int n, TimeSpan limit, Func<OurSystem, Task<IJobClient>> clientFor)
    {
        var fires = new FireLog();
        await using var system = await context.StartOursAsync(run, fires);
        var client = await clientFor(system);
        try
        {
            return await MeasureAsync(client, fires, run == "create-http" ? "ActorScheduler HTTP" : "ActorScheduler", context, n, limit);
        }
        finally
        {
            if (client is IAsyncDisposable disposable && !ReferenceEquals(client, system))
                await disposable.DisposeAsync();
        }
    }

    private static async Task<Cell> MeasureAsync(IJobClient client, FireLog fires, string name, ScenarioContext context, int n, TimeSpan limit)
    {
        await SetUp.WarmUpAsync(client, fires, context.Sizes.Warmup, context.Options.Concurrency, name);
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var jobs = Enumerable.Range(0, n).Select(i => new BenchJob(BenchJob.IdOf("create", i), later)).ToList();
        Progress.Say($"  {name}: creating {n:N0} jobs");
        var result = await ClientDriver.CreateAllAsync(client, jobs, context.Options.Concurrency, limit, name);
        Progress.Say($"  {name}: {result.Created:N0} created, {result.Failed} failed in {result.Elapsed.TotalSeconds:F1} s = {result.Rate:N0} jobs/s");
        var notes = new List<string>();
        if (result.TimedOut)
            notes.Add($"only {result.Created:N0} of {n:N0} within {limit.TotalSeconds:N0} s");
        if (result.Failed > 0)
            notes.Add($"{result.Failed:N0} failed, first: {result.FirstError}");
        return Cell.Of(result.Rate, notes.Count > 0 ? string.Join("; ", notes) : null);
    }
}
