using System.Diagnostics;

namespace ActorScheduler.Bench.Measure;

/// <summary>Resident memory and CPU time of this process.</summary>
public static class ProcessMeter
{
    /// <summary>Resident set size after a full collection (what a long-running node settles to), in MiB.</summary>
    public static double ResidentMiB()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1024.0 / 1024.0;
    }

    /// <summary>
    /// Bytes allocated on the managed heap by every thread of this process so far (exact: the runtime's per-thread
    /// counters summed). Over a window in which only the system under test works, its difference divided by the runs is
    /// what a run costs in allocations, the bench's own bookkeeping per run (a fire record) included.
    /// </summary>
    public static long AllocatedBytes() => GC.GetTotalAllocatedBytes(precise: true);

    /// <summary>
    /// How long the runtime has held every thread for garbage collection since the process started (all systems in
    /// the process; a window's difference is what the system under test caused while only it worked).
    /// </summary>
    public static TimeSpan GcPause() => GC.GetTotalPauseDuration();

    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Average cores busy over <paramref name="window"/> while nothing but the system itself runs.</summary>
    public static async Task<double> IdleCoresAsync(TimeSpan window, CancellationToken cancel = default)
    {
        var before = CpuTime();
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, cancel);
        return (CpuTime() - before).TotalSeconds / clock.Elapsed.TotalSeconds;
    }
}
