using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// After an unclean stop, finds the jobs whose index row is missing or older than their journal (rows still in the
/// writer's batch when the process died) and wakes them: a recovering job re-writes its own row. A clean stop leaves
/// a marker file, so the scan — which reads every journal key — runs only when needed.
/// </summary>
public static class JobIndexRepair
{
    private const string CleanStopMarker = "clean-stop";

    public static bool LastStopWasClean(string dataDirectory)
    {
        var marker = Path.Combine(dataDirectory, CleanStopMarker);
        var clean = File.Exists(marker);
        File.Delete(marker);
        return clean;
    }

    public static void MarkCleanStop(string dataDirectory) =>
        File.WriteAllText(Path.Combine(dataDirectory, CleanStopMarker), DateTimeOffset.UtcNow.ToString("O"));

    /// <summary>
    /// Recovering a job is enough for its own row: it re-writes it and re-arms its wake-up. The run rows its lost events
    /// changed are rebuilt from the journal first (<see cref="RunRepair"/>), from the version the job row had.
    /// </summary>
    public static void Run(IndexTables tables, IActorRef jobs, ILoggingAdapter log)
    {
        try
        {
            var stale = tables.BehindTheirJournal();
            if (stale.Count == 0)
                return;
            log.Warning("The last stop was not clean: {0} jobs have index rows behind their journal; recovering them", stale.Count);
            RepairRuns(tables, stale, log);
            foreach (var (id, _) in stale)
                jobs.Tell(new JobEnvelope(id, GetJob.Instance), ActorRefs.NoSender);
        }
        catch (Exception e)
        {
            log.Error(e, "Checking the job index against the journal failed");
        }
    }

    private static void RepairRuns(IndexTables tables, IReadOnlyList<(Core.JobId Job, long IndexedVersion)> stale, ILoggingAdapter log)
    {
        try
        {
            log.Info("Rebuilt {0} run rows of {1} jobs from their journal", RunRepair.Run(tables.Runs, stale, log), stale.Count);
        }
        catch (Exception e)
        {
            log.Error(e, "Rebuilding the run rows of {0} jobs from their journal failed; their recent runs may be missing from run lists", stale.Count);
        }
    }
}
