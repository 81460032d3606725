using System.Collections.Immutable;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using ActorScheduler.Engine.Storage;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// Writes run rows from the journal, for runs the live path did not write: those an unclean stop lost with the index
/// writer's last batch (<see cref="Run"/>), and those of jobs that ran before the runs read model existed
/// (<see cref="Rebuild"/>). Each event is applied as the job applies it and the runs it changed are written as the
/// live path writes them (<see cref="JobEffects.RunRows"/>); the version guard keeps any newer row already there.
/// </summary>
public static class RunRepair
{
    /// <summary>Jobs whose journals are read in one query.</summary>
    public const int JobsPerRead = 100;

    /// <summary>Events of one job read and written at a time when its whole journal is replayed.</summary>
    public const int EventsPerRead = 1_000;

    /// <summary>
    /// After an unclean stop. A job's run rows are written in the transaction of its job row, so a job row at version v
    /// promises every run row up to v: the events after v are the ones to replay, starting from the runs the job had in
    /// flight by their rows (a finished run is never touched again). Answers how many run rows were written.
    /// </summary>
    public static int Run(RunTables runs, IReadOnlyList<(JobId Job, long IndexedVersion)> behind, ILoggingAdapter log)
    {
        var written = 0;
        foreach (var chunk in behind.Chunk(JobsPerRead))
        {
            var inFlight = runs.InFlight(chunk.Select(job => job.Job).ToList());
            var journals = runs.JournalAfter(chunk);
            var rows = chunk.SelectMany((job, i) => new RunReplay(job.Job, job.IndexedVersion, inFlight[job.Job]).Apply(journals[i], log)).ToList();
            if (rows.Count > 0)
                runs.Upsert(rows);
            written += rows.Count;
        }
        return written;
    }

    /// <summary>The whole journal of <paramref name="job"/>, a page at a time. Answers how many run rows were written.</summary>
    public static int Rebuild(RunTables runs, JobId job, ILoggingAdapter log, CancellationToken cancel)
    {
        var replay = new RunReplay(job, 0, []);
        var (written, version) = (0, 0L);
        while (!cancel.IsCancellationRequested)
        {
            var page = runs.JournalAfter([(job, version)], EventsPerRead)[0];
            var rows = replay.Apply(page, log);
            if (rows.Count > 0)
                runs.Upsert(rows);
            written += rows.Count;
            if (page.Count < EventsPerRead || replay.Stopped)
                break;
            version = page[^1].SequenceNr;
        }
        return written;
    }
}

/// <summary>A job's events applied one by one from a known point, and the run rows each produced.</summary>
/// <param name="version">The job's version before the first event to apply.</param>
/// <param name="inFlight">The runs the job had in flight at that version.</param>
public sealed class RunReplay(JobId job, long version, IEnumerable<RunRecord> inFlight)
{
    private JobState _state = JobState.Empty(job) with { Exists = true, Version = version, InFlight = inFlight.ToImmutableList() };

    /// <summary>An entry did not replay: the rest of the journal is not applied (the job is unreadable from there too).</summary>
    public bool Stopped { get; private set; }

    /// <summary>The rows the stored events produce, in journal order (one run may have several; the last is the newest).</summary>
    public IReadOnlyList<RunRow> Apply(IReadOnlyList<StoredEvent> journal, ILoggingAdapter log)
    {
        var rows = new List<RunRow>();
        foreach (var stored in journal)
        {
            if (Stopped)
                break;
            try
            {
                if (stored.SerializerId != JobJournalSerializer.Id || stored.Manifest is null)
                    throw new InvalidOperationException($"written by serializer {stored.SerializerId}, not the job journal's");
                var e = (JobEvent)JobJournalSerializer.Decode(stored.Payload, stored.Manifest);
                _state = _state.Apply(e) with { Version = stored.SequenceNr };
                rows.AddRange(JobEffects.RunRows(_state, RunChanges.Of(_state, [e])));
            }
            catch (Exception error)
            {
                Stopped = true;
                log.Warning("Writing the run rows of job {0} from its journal: entry {1} does not replay ({2}); the rows after it are not written",
                    job, stored.SequenceNr, error.Message);
            }
        }
        return rows;
    }
}
