using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// steady: R jobs due every second for S seconds, made of R recurring jobs (every 1 s, S runs each) whose first
/// occurrences are spread evenly over one second
/// (Hangfire: cron, so all on the whole second). Start lateness against each occurrence's scheduled time,
/// how many of the R×S occurrences ran, and the process's CPU while it ran.
/// </summary>
public static class SteadyScenario
{
    internal sealed record Outcome(int Fired, LatenessSummary? Lateness, double Cores, string? Note, double? BytesPerFire = null, double? GcPauseShare = null);

    public static async Task RunAsync(ScenarioContext context)
    {
        var (rate, seconds) = (context.Sizes.SteadyRate, context.Sizes.SteadySeconds);
        var ours = await MeasureAsync(context, "ActorScheduler", rate, seconds, async fires => await context.StartOursAsync("steady", fires));
        var quartz = context.Options.Runs("quartz")
            ? await MeasureAsync(context, "Quartz", rate, seconds, async fires => await context.StartQuartzAsync("steady", fires))
            : null;
        var hangfire = context.Options.Runs("hangfire")
            ? await MeasureAsync(context, "Hangfire", rate, seconds, async fires => await context.StartHangfireAsync("steady", fires))
            : null;

        var label = context.Label("steady", $"{rate:N0}/s × {seconds} s");
        var expected = rate * seconds;
        void Row(string metric, string unit, Better better, Func<Outcome, Cell> cell) =>
            context.Table.Add(label, metric, unit, better, cell(ours),
                quartz is null ? ScenarioContext.NotSelected : cell(quartz), hangfire is null ? ScenarioContext.NotSelected : cell(hangfire));
        Row($"occurrences run (of {expected:N0})", "runs", Better.Higher, o => Pick(o, x => x.Fired, true));
        Row("lateness p50", "ms", Better.Lower, o => Pick(o, x => x.Lateness?.P50));
        Row("lateness p99", "ms", Better.Lower, o => Pick(o, x => x.Lateness?.P99));
        Row("lateness max", "ms", Better.Lower, o => Pick(o, x => x.Lateness?.Max));
        Row("process CPU while running", "cores", Better.Lower, o => Pick(o, x => x.Cores));
        Row("allocated per run (whole process, KB)", "KB", Better.Lower, o => Pick(o, x => x.BytesPerFire / 1024));
        Row("time paused for GC (share of the window, %)", "%", Better.Lower, o => Pick(o, x => x.GcPauseShare * 100));
    }

    internal static async Task<Outcome> MeasureAsync(
        ScenarioContext context, string name, int rate, int seconds, Func<FireLog, Task<ISchedulerUnderTest>> start)
    {
        var fires = new FireLog();
        await using var system = await start(fires);
        await SetUp.WarmUpAsync(system, fires, context.Sizes.Warmup, context.Options.Concurrency, name);

        var due = await SetUp.DueAfterSetUpAsync(system, rate, SetUp.Concurrency);
        string? aligned = null;
        if (system is HangfireSystem)
        {
            // Hangfire's recurring jobs are cron: occurrences on whole seconds, and a window of S runs can only be
            // named exactly by one cron from a whole minute (HangfireSystem.Recurrence). So its R jobs all come due
            // together on each whole second, from the next whole minute, instead of spread over the second.
            due = new DateTimeOffset(due.Ticks - due.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
            aligned = "cron: all R due on each whole second";
        }
        var every = TimeSpan.FromSeconds(1);
        var jobs = Enumerable.Range(0, rate)
            .Select(i => new BenchJob(BenchJob.IdOf("steady", i), due + every * i / rate, every, seconds))
            .ToList();
        Progress.Say($"  {name}: creating {rate:N0} recurring jobs, first due at {due:HH:mm:ss.fff}");
        var created = await system.CreateManyAsync(jobs, SetUp.Concurrency, due - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var note = SetUp.Overrun(due, DateTimeOffset.UtcNow) is { } overrun ? (aligned is null ? overrun : $"{aligned}; {overrun}") : aligned;
        if (created.Created < rate)
            return new Outcome(0, null, 0, $"set-up created only {created.Created:N0} of {rate:N0}: {created.FirstError}");

        if (due > DateTimeOffset.UtcNow)
            await Task.Delay(due - DateTimeOffset.UtcNow);
        var cpuBefore = ProcessMeter.CpuTime();
        var allocatedBefore = ProcessMeter.AllocatedBytes();
        var pausedBefore = ProcessMeter.GcPause();
        var expected = rate * seconds;
        var grace = TimeSpan.FromSeconds(Math.Max(30, seconds));
        var complete = await fires.WaitForAsync("steady", expected, due + TimeSpan.FromSeconds(seconds) + grace);
        var cores = (ProcessMeter.CpuTime() - cpuBefore).TotalSeconds / (DateTimeOffset.UtcNow - due).TotalSeconds;
        var allocated = ProcessMeter.AllocatedBytes() - allocatedBefore;
        var pauseShare = (ProcessMeter.GcPause() - pausedBefore).TotalSeconds / (DateTimeOffset.UtcNow - due).TotalSeconds;
        var steady = fires.Of("steady");
        if (!complete)
            note = note is null ? $"{grace.TotalSeconds:N0} s grace passed" : $"{note}; {grace.TotalSeconds:N0} s grace passed";
        var lateness = LatenessSummary.Of(steady.Select(f => f.Lateness));
        Progress.Say($"  {name}: {steady.Count:N0} of {expected:N0} ran, p99 lateness {lateness?.P99:N0} ms, {cores:F2} cores");
        return new Outcome(steady.Count, lateness, cores, note, steady.Count > 0 ? (double)allocated / steady.Count : null, pauseShare);
    }

    private static Cell Pick(Outcome outcome, Func<Outcome, double?> pick, bool withNote = false) =>
        pick(outcome) is { } value ? Cell.Of(value, withNote ? outcome.Note : null) : Cell.Missing(outcome.Note ?? "no runs");
}
