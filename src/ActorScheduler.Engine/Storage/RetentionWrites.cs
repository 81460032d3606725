using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// What retention deletes, as writes of the journal's one writer (<see cref="JournalTables"/>): they go in its
/// transactions, between the jobs' appends, so on SQLite they never wait for the write lock nor make an append wait
/// for theirs. Each deletes at most <c>Max</c> rows, so one write stays short; the rest goes at the next pass.
/// </summary>
public abstract record RetentionWrite : TableWrite;

/// <summary>
/// One step's trims, in one write: per job in <paramref name="Runs"/>, its finished runs (never one pending or
/// running) due before <c>BeforeTicks</c> (UTC ticks) and all but its newest <c>KeepLast</c>, oldest first; per job in
/// <paramref name="Journal"/>, its journal events stored before <paramref name="JournalBeforeTicks"/> that its latest
/// snapshot covers, that the job index has seen, and that no backfill of its runs still needs (recovery starts from
/// that snapshot). At most <paramref name="Max"/> rows per job and kind. Answered with <see cref="Trimmed"/>.
/// </summary>
public sealed record TrimJobs(IReadOnlyList<RunTrimRequest> Runs, IReadOnlyList<JobId> Journal, long JournalBeforeTicks, int Max) : RetentionWrite;

public sealed record RunTrimRequest(JobId Job, long? BeforeTicks, int? KeepLast);

/// <summary>What a <see cref="TrimJobs"/> deleted, and how many of its deletes hit their row limit (more remains).</summary>
public sealed record Trimmed(int Runs, int Events, int RunsCapped, int EventsCapped) : WriteOutcome;

/// <summary>
/// Everything of a job retention removed but its last event (<paramref name="RemovedAt"/>, the JobRemoved mark):
/// its older events, its snapshots, and its index, trigger and run rows.
/// </summary>
public sealed record RemoveJob(JobId Job, long RemovedAt) : RetentionWrite;

/// <summary>A <see cref="RetentionWrite"/> committed: the rows it deleted (for a removed job, 0 when it was gone already).</summary>
public sealed record RowsRemoved(int Rows) : WriteOutcome;

internal static class RetentionStatements
{
    private static readonly string Finished =
        $"status NOT IN ('{CoreJson.WireName(RunStatus.Pending)}', '{CoreJson.WireName(RunStatus.Running)}')";

    private static readonly string RunsByAge = $"""
        DELETE FROM runs WHERE run_id IN (SELECT run_id FROM runs WHERE job_id = @job AND scheduled_for < @before AND {Finished}
          ORDER BY scheduled_for, seq LIMIT @max)
        """;

    // The newest KeepLast finished runs stay: those older than the KeepLast-th newest go (row values, both databases).
    private static readonly string RunsBeyondLast = $"""
        DELETE FROM runs WHERE run_id IN (SELECT run_id FROM runs WHERE job_id = @job AND {Finished}
          AND (scheduled_for, seq) < (SELECT scheduled_for, seq FROM runs WHERE job_id = @job AND {Finished}
            ORDER BY scheduled_for DESC, seq DESC LIMIT 1 OFFSET @skip)
          ORDER BY scheduled_for, seq LIMIT @max)
        """;

    private const string JournalCovered = """
        DELETE FROM journal WHERE persistence_id = @pid AND sequence_number IN (
          SELECT sequence_number FROM journal WHERE persistence_id = @pid AND created < @before
            AND sequence_number < (SELECT COALESCE(MAX(sequence_number), 0) FROM snapshot WHERE persistence_id = @pid)
            AND sequence_number <= (SELECT COALESCE(MAX(version), 0) FROM job_index WHERE job_id = @job)
            AND NOT EXISTS (SELECT 1 FROM runs_backfill WHERE job_id = @job)
          ORDER BY sequence_number LIMIT @max)
        """;

    private static readonly string[] RemoveStored =
    [
        "DELETE FROM journal WHERE persistence_id = @pid AND sequence_number < @seq",
        "DELETE FROM snapshot WHERE persistence_id = @pid AND sequence_number <= @seq",
    ];

    private static readonly string[] RemoveRows =
    [
        "DELETE FROM job_triggers WHERE job_id = @job AND EXISTS (SELECT 1 FROM job_index WHERE job_id = @job AND version <= @seq)",
        "DELETE FROM job_index WHERE job_id = @job AND version <= @seq",
        "DELETE FROM runs WHERE job_id = @job AND version <= @seq",
    ];

    /// <summary>Runs the write's deletes (after what earlier writes of the transaction added) and counts the rows.</summary>
    public static WriteOutcome Apply(SqlStatements statements, RetentionWrite write)
    {
        statements.Execute(); // earlier writes' statements, so the counts below are this write's alone
        switch (write)
        {
            case TrimJobs trim:
                return Trim(statements, trim);
            case RemoveJob job:
                foreach (var sql in RemoveStored)
                    statements.Add(sql, ("@pid", Protocol.JobPersistenceId.Of(job.Job)), ("@seq", job.RemovedAt));
                foreach (var sql in RemoveRows)
                    statements.Add(sql, ("@job", job.Job.Value), ("@seq", job.RemovedAt));
                statements.Add("DELETE FROM runs_backfill WHERE job_id = @job", ("@job", job.Job.Value));
                break;
        }
        return new RowsRemoved(statements.Execute().Sum());
    }

    private static Trimmed Trim(SqlStatements statements, TrimJobs trim)
    {
        var runStatements = 0;
        foreach (var (job, beforeTicks, keepLast) in trim.Runs)
        {
            if (beforeTicks is { } before)
            {
                statements.Add(RunsByAge, ("@job", job.Value), ("@before", before), ("@max", trim.Max));
                runStatements++;
            }
            if (keepLast is { } keep)
            {
                statements.Add(RunsBeyondLast, ("@job", job.Value), ("@skip", keep - 1), ("@max", trim.Max));
                runStatements++;
            }
        }
        foreach (var job in trim.Journal)
            statements.Add(JournalCovered, ("@pid", Protocol.JobPersistenceId.Of(job)), ("@job", job.Value),
                ("@before", trim.JournalBeforeTicks), ("@max", trim.Max));
        var counts = statements.Execute();
        var (runs, events) = (counts.Take(runStatements).ToList(), counts.Skip(runStatements).ToList());
        return new Trimmed(runs.Sum(), events.Sum(), runs.Count(n => n >= trim.Max), events.Count(n => n >= trim.Max));
    }
}
