using System.Data.Common;
using ActorScheduler.Engine.Jobs;
using Akka.Actor;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// After an unclean stop, finds the jobs whose index row is missing or older than their journal (rows still in
/// the writer's batch when the process died) and wakes them: a recovering job re-writes its own row.
/// A clean stop leaves a marker file, so the scan — which reads every journal key — runs only when needed.
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

    /// <summary>Job ids whose journal is ahead of their index row.</summary>
    public static IReadOnlyList<string> StaleJobs(Func<DbConnection> connect)
    {
        using var connection = connect();
        using var command = connection.CreateCommand();
        // Works on SQLite and PostgreSQL alike (information_schema is PostgreSQL's, sqlite_master SQLite's).
        command.CommandText = connection is Microsoft.Data.Sqlite.SqliteConnection
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'journal'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'journal'";
        if (command.ExecuteScalar() is null)
            return [];
        command.CommandText = """
            SELECT substr(j.persistence_id, 5) FROM journal j
            LEFT JOIN job_index i ON i.job_id = substr(j.persistence_id, 5)
            WHERE j.persistence_id LIKE 'job-%'
            GROUP BY j.persistence_id
            HAVING MAX(j.sequence_number) > COALESCE(MAX(i.version), 0)
            """;
        using var reader = command.ExecuteReader();
        var stale = new List<string>();
        while (reader.Read())
            stale.Add(reader.GetString(0));
        return stale;
    }

    /// <summary>Recovering a job is enough: it re-writes its index row and re-arms its wake-up.</summary>
    public static void Wake(IActorRef region, IEnumerable<string> jobIds)
    {
        foreach (var id in jobIds)
            region.Tell(new JobEnvelope(id, new GetJob()));
    }
}
