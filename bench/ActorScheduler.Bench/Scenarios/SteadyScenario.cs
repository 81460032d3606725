using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// steady: R jobs due every second for S seconds, made of R recurring jobs (every 1 s, S runs each) whose first
/// occurrences are spread evenly over one second. Start lateness against each occurrence's scheduled time,
/// how many of the R×S occurrences ran, and the process's CPU while it ran.
/// </summary>
public static class SteadyScenario
{
    internal sealed record Outcome(int Fired, LatenessSummary? Lateness, double Cores, string? Note);

    public static async Task RunAsync(ScenarioContext context)
    {
        var (rate, seconds) = (context.Sizes.SteadyRate, context.Sizes.SteadySeconds);
        var ours = await MeasureAsync(context, "ActorScheduler", rate, seconds, async fires => await context.StartOursAsync("steady", fires));
        var quartz = await MeasureAsync(context, "Quartz", rate, seconds, async fires => await context.StartQuartzAsync("steady", fires));

        var label = context.Label("steady", $"{rate:N0}/s × {seconds} s");
        var expected = rate * seconds;
        context.Table.Add(label, $"occurrences run (of {expected:N0})", "runs", Better.Higher, Pick(ours, o => o.Fired, true), Pick(quartz, o => o.Fired, true));
        context.Table.Add(label, "lateness p50", "ms", Better.Lower, Pick(ours, o => o.Lateness?.P50), Pick(quartz, o => o.Lateness?.P50));
        context.Table.Add(label, "lateness p99", "ms", Better.Lower, Pick(ours, o => o.Lateness?.P99), Pick(quartz, o => o.Lateness?.P99));
        context.Table.Add(label, "lateness max", "ms", Better.Lower, Pick(ours, o => o.Lateness?.Max), Pick(quartz, o => o.Lateness?.Max));
        context.Table.Add(label, "process CPU while running", "cores", Better.Lower, Pick(ours, o => o.Cores), Pick(quartz, o => o.Cores));
    }

    internal static async Task<Outcome> MeasureAsync(
        ScenarioContext context, string name, int rate, int seconds, Func<FireLog, Task<ISchedulerUnderTest>> start)
    {
        var fires = new FireLog();
        await using var system = await start(fires);
        await SetUp.WarmUpAsync(system, fires, context.Sizes.Warmup, context.Options.Concurrency, name);

        var due = await SetUp.DueAfterSetUpAsync(system, rate, SetUp.Concurrency);
        var every = TimeSpan.FromSeconds(1);
        var jobs = Enumerable.Range(0, rate)
            .Select(i => new BenchJob(BenchJob.IdOf("steady", i), due + every * i / rate, every, seconds))
            .ToList();
        Progress.Say($"  {name}: creating {rate:N0} recurring jobs, first due at {due:HH:mm:ss.fff}");
        var created = await system.CreateManyAsync(jobs, SetUp.Concurrency, due - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var note = SetUp.Overrun(due, DateTimeOffset.UtcNow);
        if (created.Created < rate)
            return new Outcome(0, null, 0, $"set-up created only {created.Created:N0} of {rate:N0}: {created.FirstError}");

        if (due > DateTimeOffset.UtcNow)
            await Task.Delay(due - DateTimeOffset.UtcNow);
        var cpuBefore = ProcessMeter.CpuTime();
        var expected = rate * seconds;
        var grace = TimeSpan.FromSeconds(Math.Max(30, seconds));
        var complete = await fires.WaitForAsync("steady", expected, due + TimeSpan.FromSeconds(seconds) + grace);
        var cores = (ProcessMeter.CpuTime() - cpuBefore).TotalSeconds / (DateTimeOffset.UtcNow - due).TotalSeconds;
        var steady = fires.Of("steady");
        if (!complete)
            note = note is null ? $"{grace.TotalSeconds:N0} s grace passed" : $"{note}; {grace.TotalSeconds:N0} s grace passed";
        var lateness = LatenessSummary.Of(steady.Select(f => f.Lateness));
        Progress.Say($"  {name}: {steady.Count:N0} of {expected:N0} ran, p99 lateness {lateness?.P99:N0} ms, {cores:F2} cores");
        return new Outcome(steady.Count, lateness, cores, note);
    }

    private static Cell Pick(Outcome outcome, Func<Outcome, double?> pick, bool withNote = false) =>
        pick(outcome) is { } value ? Cell.Of(value, withNote ? outcome.Note : null) : Cell.Missing(outcome.Note ?? "no runs");
}
