using System.Diagnostics;
using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Systems;
using ActorScheduler.Core;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// recover (ActorScheduler only): N jobs created a day ahead, so none is in memory, then each asked for once with
/// 200 asks in flight. Every ask recovers a job from the journal: snapshot load, highest sequence number, replay.
/// This is what bounds a burst of jobs created shortly before they are due; Quartz has no counterpart (its
/// jobs are rows, read per trigger batch), so its column says so.
/// </summary>
public static class RecoverScenario
{
    public const int InFlight = 200;

    public static async Task RunAsync(ScenarioContext context)
    {
        var n = context.Sizes.Burst;
        var label = context.Label("recover", $"N={n:N0}");
        const string noQuartz = "n/a: Quartz keeps no job in memory";
        const string noHangfire = "n/a: Hangfire keeps no job in memory";
        await using var ours = await context.StartOursAsync("recover", new FireLog());
        var due = DateTimeOffset.UtcNow.AddDays(1);
        var jobs = Enumerable.Range(0, n).Select(i => new BenchJob(BenchJob.IdOf("recover", i), due)).ToList();
        Progress.Say($"  ActorScheduler: creating {n:N0} jobs due in a day");
        var created = await ours.CreateManyAsync(jobs, SetUp.Concurrency, TimeSpan.FromMinutes(5));
        if (created.Created < n)
        {
            context.Table.Add(label, "recoveries/s", "recoveries/s", Better.Higher,
                Cell.Missing($"set-up created only {created.Created:N0} of {n:N0}: {created.FirstError}"), Cell.Missing(noQuartz), Cell.Missing(noHangfire));
            return;
        }

        var cpuBefore = ProcessMeter.CpuTime();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (job, cancel) =>
        {
            var reply = await ours.Engine.Jobs.Get(JobId.Parse(job.Id), cancel);
            if (reply is ActorScheduler.Engine.Protocol.JobRefused refused)
                throw new InvalidOperationException($"{job.Id}: {refused.Message}");
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (ProcessMeter.CpuTime() - cpuBefore).TotalSeconds;
        Progress.Say($"  ActorScheduler: {n:N0} jobs recovered in {seconds:F1} s = {n / seconds:N0}/s, {cpu * 1e6 / n:N0} µs CPU each");
        context.Table.Add(label, $"recoveries/s (each job asked once, {InFlight} asks in flight)", "recoveries/s", Better.Higher,
            Cell.Of(n / seconds), Cell.Missing(noQuartz), Cell.Missing(noHangfire));
        context.Table.Add(label, "process CPU per recovery", "µs", Better.Lower, Cell.Of(cpu * 1e6 / n), Cell.Missing(noQuartz), Cell.Missing(noHangfire));
    }
}
