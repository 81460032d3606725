using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// burst: N one-off no-op jobs all due at the same instant. Drain rate (N ÷ time from the due instant to the last
/// start), start lateness against that instant, and when the last run's completion was committed.
/// </summary>
public static class BurstScenario
{
    private sealed record Outcome(int Fired, double? DrainRate, LatenessSummary? Lateness, double? RecordedAfter, string? Note, double? BytesPerFire = null,
        double? GcPauseShare = null);

    public static async Task RunAsync(ScenarioContext context)
    {
        var n = context.Sizes.Burst;
        var ours = await MeasureAsync(context, "ActorScheduler", n, async fires => await context.StartOursAsync("burst", fires));
        var quartz = context.Options.Runs("quartz")
            ? await MeasureAsync(context, "Quartz", n, async fires => await context.StartQuartzAsync("burst", fires))
            : null;
        var hangfire = context.Options.Runs("hangfire")
            ? await MeasureAsync(context, "Hangfire", n, async fires => await context.StartHangfireAsync("burst", fires))
            : null;

        var label = context.Label("burst", $"N={n:N0}");
        void Row(string metric, string unit, Better better, Func<Outcome, Cell> cell) =>
            context.Table.Add(label, metric, unit, better, cell(ours),
                quartz is null ? ScenarioContext.NotSelected : cell(quartz), hangfire is null ? ScenarioContext.NotSelected : cell(hangfire));
        Row("drain rate (fires/s)", "fires/s", Better.Higher, Drain);
        Row("lateness p50", "ms", Better.Lower, o => Late(o, l => l.P50));
        Row("lateness p99", "ms", Better.Lower, o => Late(o, l => l.P99));
        Row("lateness max", "ms", Better.Lower, o => Late(o, l => l.Max));
        Row("every run's completion committed, after due instant", "s", Better.Lower, o => Recorded(o, n));
        Row("allocated per run, set-up excluded (whole process, KB)", "KB", Better.Lower,
            o => o.BytesPerFire is { } bytes ? Cell.Of(bytes / 1024) : Cell.Missing("not measured"));
        Row("time paused for GC, due instant to last start (share, %)", "%", Better.Lower,
            o => o.GcPauseShare is { } share ? Cell.Of(share * 100) : Cell.Missing("not measured"));
    }

    private static async Task<Outcome> MeasureAsync(ScenarioContext context, string name, int n, Func<FireLog, Task<ISchedulerUnderTest>> start)
    {
        var fires = new FireLog();
        await using var system = await start(fires);
        await SetUp.WarmUpAsync(system, fires, context.Sizes.Warmup, context.Options.Concurrency, name);

        var due = await SetUp.DueAfterSetUpAsync(system, n, SetUp.Concurrency);
        var jobs = Enumerable.Range(0, n).Select(i => new BenchJob(BenchJob.IdOf("burst", i), due)).ToList();
        Progress.Say($"  {name}: creating {n:N0} jobs due at {due:HH:mm:ss.fff}");
        var created = await system.CreateManyAsync(jobs, SetUp.Concurrency, due - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var note = SetUp.Overrun(due, DateTimeOffset.UtcNow);
        // From the end of set-up to every completion committed: firing, running and recording the runs.
        var allocatedBefore = ProcessMeter.AllocatedBytes();
        if (created.Created < n)
            return new Outcome(0, null, null, null, $"set-up created only {created.Created:N0} of {n:N0}: {created.FirstError}");

        var limit = TimeSpan.FromSeconds(Math.Max(60, n / 50.0));
        if (due > DateTimeOffset.UtcNow)
            await Task.Delay(due - DateTimeOffset.UtcNow);
        var pausedAtDue = ProcessMeter.GcPause();
        using var journal = new JournalMeter();
        var journalAtDue = journal.Mark();
        var drained = await fires.WaitForAsync("burst", n, due + limit);
        var drainedAt = DateTimeOffset.UtcNow;
        var paused = ProcessMeter.GcPause() - pausedAtDue;
        if (system is OurSystem)
            Progress.Say($"  {name}: due instant to last start: {journal.Describe(journalAtDue, (drainedAt - due).TotalSeconds)}; " +
                $"GC paused {paused.TotalMilliseconds:N0} ms");
        var burst = fires.Of("burst");
        Progress.Say($"  {name}: {burst.Count:N0} of {n:N0} started{(drained ? "" : $" within {limit.TotalSeconds:N0} s of the due instant")}");
        if (burst.Count == 0)
            return new Outcome(0, null, null, null, $"nothing ran within {limit.TotalSeconds:N0} s");
        if (!drained && system is HangfireSystem hangfire)
            Progress.Say($"  {hangfire.Describe()}");
        if (!drained)
            note = Join(note, $"only {burst.Count:N0} of {n:N0} ran within {limit.TotalSeconds:N0} s");

        var lastStart = burst.Max(f => f.StartedAt);
        var drainRate = burst.Count / Math.Max((lastStart - due).TotalSeconds, 1e-3);
        var lateness = LatenessSummary.Of(burst.Select(f => f.StartedAt - due));
        var recordedAt = await WaitFinishedAsync(system, n, due + limit + TimeSpan.FromMinutes(1));
        var bytesPerFire = (double)(ProcessMeter.AllocatedBytes() - allocatedBefore) / burst.Count;
        Progress.Say($"  {name}: drain {drainRate:N0} fires/s, p99 lateness {lateness!.P99:N0} ms, " +
            (recordedAt is { } at ? $"all recorded {(at - due).TotalSeconds:F1} s after due" : "not all recorded"));
        var pauseShare = paused.TotalSeconds / Math.Max((drainedAt - due).TotalSeconds, 1e-3);
        return new Outcome(burst.Count, drainRate, lateness, recordedAt is { } r ? (r - due).TotalSeconds : null, note, bytesPerFire, pauseShare);
    }

    /// <summary>When every burst run's outcome was committed; null if that did not happen by the deadline.</summary>
    private static async Task<DateTimeOffset?> WaitFinishedAsync(ISchedulerUnderTest system, int n, DateTimeOffset deadline)
    {
        while (DateTimeOffset.UtcNow < deadline)
        {
            var checkedAt = DateTimeOffset.UtcNow;
            if (await system.CountFinishedAsync("burst", n, CancellationToken.None) >= n)
                return checkedAt;
            await Task.Delay(250);
        }
        return null;
    }

    private static string? Join(string? a, string b) => a is null ? b : $"{a}; {b}";

    private static Cell Drain(Outcome outcome) => outcome switch
    {
        { DrainRate: { } rate } => Cell.Of(rate, outcome.Note),
        _ => Cell.Missing(outcome.Note ?? "no result"),
    };

    private static Cell Late(Outcome outcome, Func<LatenessSummary, double> pick) => outcome switch
    {
        { Lateness: { } lateness } => Cell.Of(pick(lateness)),
        _ => Cell.Missing("no runs"),
    };

    private static Cell Recorded(Outcome outcome, int n) => outcome switch
    {
        { RecordedAfter: { } seconds } => Cell.Of(seconds),
        _ => Cell.Missing($"not all {n:N0} recorded"),
    };
}
