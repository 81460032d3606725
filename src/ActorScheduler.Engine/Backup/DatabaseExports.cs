using System.Diagnostics;
using System.Globalization;
using ActorScheduler.Engine.Storage;
using Akka.Event;

namespace ActorScheduler.Engine.Backup;

/// <summary>
/// Hot backups taken by one node (the gateway's <c>GET /api/v1/export</c>): one at a time, each written to a
/// private temporary file in the data directory (0600: it holds what the database holds, env values included),
/// read once by the caller (<see cref="ExportLease.OpenRead"/>) and gone once sent.
/// </summary>
/// <remarks>
/// One at a time, because an export reads the whole database and writes a copy of it: two at once would double
/// the disk space and I/O for no gain. A temporary file left by a node that died mid-export is deleted by the next
/// export.
/// </remarks>
/// <param name="log">The node's log: each export, and each one refused, is written there.</param>
public sealed class DatabaseExports(DatabaseSettings database, string dataDirectory, ILoggingAdapter log)
{
    private const string TemporaryPrefix = "export-";
    private const string TemporarySuffix = ".db.tmp";

    private int _running;

    /// <summary>Starts an export, or answers null when one is running on this node; dispose the lease when done.</summary>
    public ExportLease? TryBegin()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            log.Warning("An export of the database was refused: another one is running on this node (one at a time)");
            return null;
        }
        try
        {
            PrivateFiles.EnsureDirectory(dataDirectory);
            foreach (var leftover in Directory.EnumerateFiles(dataDirectory, TemporaryPrefix + "*" + TemporarySuffix))
                File.Delete(leftover);
            var startedAt = DateTimeOffset.UtcNow;
            var path = Path.Combine(dataDirectory, $"{TemporaryPrefix}{Guid.NewGuid():N}{TemporarySuffix}");
            return new ExportLease(this, database, path, startedAt, log);
        }
        catch
        {
            Release();
            throw;
        }
    }

    internal void Release() => Volatile.Write(ref _running, 0);
}

/// <summary>One export in progress: <see cref="WriteAsync"/> makes the file; disposing deletes it and ends the export.</summary>
public sealed class ExportLease : IDisposable
{
    private readonly DatabaseExports _exports;
    private readonly DatabaseSettings _database;
    private readonly ILoggingAdapter _log;
    private int _disposed;

    internal ExportLease(DatabaseExports exports, DatabaseSettings database, string path, DateTimeOffset startedAt, ILoggingAdapter log)
    {
        (_exports, _database, Path, StartedAt, _log) = (exports, database, path, startedAt, log);
    }

    /// <summary>The temporary file the backup is written to.</summary>
    public string Path { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>A download name that sorts by time: <c>actorscheduler-20261201T023000Z.db</c>.</summary>
    public string FileName => $"actorscheduler-{StartedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.db";

    /// <summary>Writes the consistent copy (off the caller's thread: it reads the whole database) and counts what it holds.</summary>
    public Task<ExportResult> WriteAsync(CancellationToken cancel = default) => Task.Run(() =>
    {
        var clock = Stopwatch.StartNew();
        PrivateFiles.EnsureFile(Path); // empty and 0600 before SQLite writes a byte into it
        var leftOut = DatabaseSnapshot.Write(_database, Path);
        var result = new ExportResult(BackupFile.Count(Path), new FileInfo(Path).Length, clock.Elapsed, leftOut);
        _log.Info("Export of {0}: {1}, {2:N0} bytes, written in {3:0.00} s", EngineDatabase.Describe(_database), result.Summary, result.Bytes,
            result.Duration.TotalSeconds);
        if (leftOut.Count > 0)
            _log.Warning("The export left out tables of the database's schema that are not the engine's: {0}", string.Join(", ", leftOut));
        return result;
    }, cancel);

    /// <summary>
    /// The written file for reading once. Its name is gone at once (the open stream keeps the data), and closing the
    /// stream ends the export, so the next may start as soon as this one has been sent.
    /// </summary>
    public Stream OpenRead()
    {
        var stream = new LeaseStream(this);
        File.Delete(Path);
        return stream;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            File.Delete(Path);
        }
        finally
        {
            _exports.Release();
        }
    }
}

/// <summary>The export's file, read once: closed, it ends the export (see <see cref="ExportLease.Dispose"/>).</summary>
internal sealed class LeaseStream(ExportLease lease) : FileStream(lease.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
    FileOptions.Asynchronous | FileOptions.SequentialScan)
{
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            lease.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        lease.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>What an export wrote: its contents, its size in bytes, how long the copy took, the tables it left out (not the engine's).</summary>
public sealed record ExportResult(BackupSummary Summary, long Bytes, TimeSpan Duration, IReadOnlyList<string> LeftOut);
