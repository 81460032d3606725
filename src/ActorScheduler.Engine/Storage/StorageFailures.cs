using System.Data.Common;
using System.Net.Sockets;
using Akka.Pattern;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// Tells "the database cannot be used right now" (down, unreachable, full, read-only, refusing connections) from
/// every other failure: the former is a 503 the caller may retry, the latter a bug or bad data (500).
/// </summary>
public static class StorageFailures
{
    // SQLite result codes (primary; the extended code's low byte): BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PERM.
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 7, 8, 10, 13, 14, 3];

    // PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources (disk full, too many
    // connections), 57P operator intervention (shutting down, cannot connect now), 58 system error (I/O).
    private static readonly string[] PostgresUnavailable = ["08", "53", "57P", "58"];

    /// <summary>The exception in <paramref name="error"/>'s chain that says the database is unavailable, or null.</summary>
    public static Exception? Unavailability(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
                return aggregate.InnerExceptions.Select(Unavailability).FirstOrDefault(found => found is not null);
            if (IsUnavailable(e))
                return e;
        }
        return null;
    }

    private static bool IsUnavailable(Exception e) => e switch
    {
        StorageUnavailableException or OpenCircuitException or SocketException => true,
        PostgresException postgres => PostgresUnavailable.Any(postgres.SqlState.StartsWith),
        // Npgsql's own errors (not the server's): failed connects, broken streams, timeouts.
        NpgsqlException => true,
        SqliteException sqlite => SqliteUnavailable.Contains(sqlite.SqliteErrorCode & 0xff),
        DbException { IsTransient: true } => true,
        _ => false,
    };

    /// <summary>One line for an API answer or a log: what failed, without a stack trace.</summary>
    public static string Describe(Exception e) => e switch
    {
        StorageUnavailableException unavailable => unavailable.Reason,
        OpenCircuitException => "too many failures in a row; the journal waits a moment before trying again",
        PostgresException postgres => $"PostgreSQL {postgres.SqlState}: {postgres.MessageText}",
        NpgsqlException npgsql => $"PostgreSQL: {npgsql.Message}" + (npgsql.InnerException is { } inner ? $" ({inner.Message})" : ""),
        SqliteException sqlite => $"SQLite: {sqlite.Message}",
        _ => e.Message,
    };
}

/// <summary>The database could not be used for a request (see <see cref="StorageHealth"/>): the API answers 503.</summary>
public sealed class StorageUnavailableException(string reason, Exception? cause = null)
    : Exception($"The database is unavailable: {reason}", cause)
{
    public string Reason { get; } = reason;
}
