using ActorScheduler.Engine.Storage;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// Fills the runs read model with the runs of jobs that ran before it existed: the schema queued every job then
/// (<c>runs_backfill</c>), and each scheduler node works the queue down in the background from its start, a job at a
/// time (<see cref="RunRepair.Rebuild"/>), taking each job off once its journal is written. A stop leaves the rest
/// queued for the next start; nodes working at once repeat some work, never break it (rows are version-guarded).
/// </summary>
public static class RunBackfill
{
    /// <summary>Jobs taken from the queue at a time.</summary>
    public const int JobsPerRound = 100;

    public static async Task Run(RunTables runs, ILoggingAdapter log, CancellationToken cancel)
    {
        var (jobs, rows) = (0, 0);
        try
        {
            while (await Task.Run(() => runs.WaitingForBackfill(JobsPerRound), cancel) is { Count: > 0 } waiting)
            {
                if (jobs == 0)
                    log.Info("Filling the runs read model from the journals of the jobs that ran before it existed");
                foreach (var job in waiting)
                {
                    rows += await Task.Run(() => RunRepair.Rebuild(runs, job, log, cancel), cancel);
                    cancel.ThrowIfCancellationRequested();
                    runs.Backfilled(job);
                    jobs++;
                }
            }
            if (jobs > 0)
                log.Info("The runs read model is filled: {0} run rows of {1} jobs written from their journals", rows, jobs);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            log.Info("Filling the runs read model stopped with the node after {0} jobs; the rest goes on at the next start", jobs);
        }
        catch (Exception e)
        {
            log.Error(e, "Filling the runs read model from the journals failed after {0} jobs; the rest goes on at the next start", jobs);
        }
    }
}
