using System.Data.Common;
using Akka.Event;

namespace ActorScheduler.Engine.Storage;

/// <summary>Published on the event stream when the database answers again after an outage.</summary>
public sealed record StorageReturned(TimeSpan Outage);

/// <summary>An outage as the node sees it: since when, and the latest reason.</summary>
public sealed record StorageOutage(DateTimeOffset Since, string Reason);

/// <summary>
/// Whether this node's database can be used. Any failure that <see cref="StorageFailures"/> calls unavailability
/// (a refused connection, a full disk, a read-only file) starts an outage; only a probe ends it: once a second, a
/// write (SQLite) or a round trip (PostgreSQL) on a connection of its own. Reads alone prove nothing on a full
/// disk. When the probe passes, <see cref="StorageReturned"/> goes to the event stream (the wake-up scheduler
/// then wakes what came due meanwhile). Asks to jobs made during an outage give up after
/// <see cref="OutageGrace"/> instead of the whole ask timeout (<see cref="Guard{T}"/>).
/// </summary>
/// <param name="clearPools">
/// Drops the pooled connections (idle ones at once, busy ones when they are returned): those opened before an outage are
/// dead (PostgreSQL ended them) and a pool hands them out unchecked, and SQLite opens a file it may not write read-only
/// and keeps it so. Cleared when an outage starts, before each probe (so that it opens a connection of today), and once
/// more when the outage ends.
/// </param>
public sealed class StorageHealth(
    Func<DbConnection> connect, bool isSqlite, ILoggingAdapter log, EventStream events, TimeProvider clock, Action? clearPools = null)
{
    /// <summary>How long an ask made (or pending) during an outage still waits: jobs in memory answer reads at once.</summary>
    public static readonly TimeSpan OutageGrace = TimeSpan.FromSeconds(2);

    /// <summary>Between two probes during an outage.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private TaskCompletionSource _wentDown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StorageOutage? _outage;
    private long _failures;

    /// <summary>The outage in progress, or null while the database works.</summary>
    public StorageOutage? Current
    {
        get { lock (_gate) return _outage; }
    }

    /// <summary>Completes when an outage begins (at once during one).</summary>
    private Task WentDown
    {
        get { lock (_gate) return _outage is null ? _wentDown.Task : Task.CompletedTask; }
    }

    /// <summary>Notes a failure; one that means the database is unavailable starts (or continues) an outage.</summary>
    public void Failed(Exception error)
    {
        if (StorageFailures.Unavailability(error) is not { } cause)
            return;
        var reason = StorageFailures.Describe(cause);
        lock (_gate)
        {
            _failures++;
            if (_outage is not null)
            {
                _outage = _outage with { Reason = reason };
                return;
            }
            _outage = new StorageOutage(clock.GetUtcNow(), reason);
            _wentDown.TrySetResult();
        }
        log.Warning("The database is unavailable ({0}); requests are answered 503 and jobs wait until it returns (probed every {1} s)",
            reason, ProbeInterval.TotalSeconds);
        clearPools?.Invoke();
        _ = Task.Run(ProbeUntilBack);
    }

    /// <summary>
    /// <paramref name="answer"/>, unless the database is or becomes unavailable meanwhile and no answer comes within
    /// <see cref="OutageGrace"/>: then <see cref="StorageUnavailableException"/> (a job that cannot store or recover
    /// stops without answering).
    /// </summary>
    public async Task<T> Guard<T>(Task<T> answer, CancellationToken cancel)
    {
        if (await Task.WhenAny(answer, WentDown).ConfigureAwait(false) == answer)
            return await answer.ConfigureAwait(false);
        if (await Task.WhenAny(answer, Task.Delay(OutageGrace, cancel)).ConfigureAwait(false) == answer)
            return await answer.ConfigureAwait(false);
        _ = answer.ContinueWith(static late => late.Exception, TaskContinuationOptions.OnlyOnFaulted);
        throw new StorageUnavailableException(Current?.Reason ?? "it failed while the request waited");
    }

    private async Task ProbeUntilBack()
    {
        var probes = 0;
        while (true)
        {
            await Task.Delay(ProbeInterval).ConfigureAwait(false);
            probes++;
            try
            {
                clearPools?.Invoke();
                Probe();
            }
            catch (Exception e)
            {
                if (StorageFailures.Unavailability(e) is { } cause)
                    lock (_gate) _outage = _outage! with { Reason = StorageFailures.Describe(cause) };
                else if (probes % 30 == 1)
                    log.Warning(e, "Probing the database failed unexpectedly; probing again");
                continue;
            }
            clearPools?.Invoke();
            StorageOutage outage;
            long failures;
            lock (_gate)
            {
                (outage, failures, _outage, _failures) = (_outage!, _failures, null, 0);
                _wentDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            var lasted = clock.GetUtcNow() - outage.Since;
            log.Info("The database is available again after {0:0.0} s ({1} failed operations, {2} probes); resuming", lasted.TotalSeconds, failures, probes);
            events.Publish(new StorageReturned(lasted));
            return;
        }
    }

    /// <summary>
    /// SQLite: rewrites the header's user_version with its own value, a one-page commit that needs the disk to take a
    /// write (a full disk or read-only file refuses it). PostgreSQL: a round trip on a new connection.
    /// </summary>
    private void Probe()
    {
        using var connection = connect();
        using var command = connection.CreateCommand();
        if (!isSqlite)
        {
            command.CommandText = "SELECT 1";
            command.ExecuteScalar();
            return;
        }
        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt64(command.ExecuteScalar());
        command.CommandText = $"PRAGMA user_version = {version}";
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
