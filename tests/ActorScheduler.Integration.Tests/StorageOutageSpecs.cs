using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// The storage outage drills of docs/CLUSTER.md ("Storage outages"), each on a real node with jobs firing every second
/// (<see cref="OutageDrill"/> says what each proves): PostgreSQL stopped for 30 s, the SQLite file's disk full, the
/// SQLite file read-only. The waits are generous ceilings for slow machines; the measured times go to the test output.
/// </summary>
[Collection(ClusterDrills.Name)] // one at a time, as the cluster drills: each takes a database away on a 2-core machine
public sealed class StorageOutageSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_answer_503_lose_nothing_acknowledged_and_resume_firing_when_postgres_stops_for_30_seconds()
    {
        // A server of the drill's own: the shared one on 5432 serves other test projects meanwhile.
        await using var postgres = await PrivatePostgres.StartAsync("drill");
        var data = Path.Combine(Path.GetTempPath(), "as-pg-node-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var node = await NodeProcess.StartAsync(data, environment: new Dictionary<string, string>
            {
                ["ACTORSCHEDULER__DATABASE__PROVIDER"] = "postgres",
                ["ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION"] = postgres.ConnectionString("drill"),
            });
            await new OutageDrill(node, output).Run("PostgreSQL stopped (pg_ctl stop -m fast)", TimeSpan.FromSeconds(30),
                postgres.StopServerAsync, postgres.StartServerAsync);
        }
        finally
        {
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// The node runs in a mount namespace of its own (<c>unshare -Urm</c>, which needs no root) with its data directory
    /// on a 64 MB tmpfs; the test fills that file system through <c>/proc/&lt;pid&gt;/root</c>, so writes fail with
    /// ENOSPC as on a real full disk, and frees it by deleting the filler.
    /// </summary>
    [Fact]
    public async Task Should_answer_503_lose_nothing_acknowledged_and_resume_firing_when_the_sqlite_disk_is_full()
    {
        var data = Path.Combine(Path.GetTempPath(), "as-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        string[] ownTmpfs = ["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64m,mode=0700 tmpfs \"$0\" && exec \"$@\"", data];
        try
        {
            await using var node = await NodeProcess.StartAsync(data, launcher: ownTmpfs);
            var seen = $"/proc/{node.Pid}/root{data}"; // the node's tmpfs, as the node sees it
            var filler = Path.Combine(seen, "filler");
            await new OutageDrill(node, output).Run("disk full (64 MB tmpfs filled up)", TimeSpan.FromSeconds(20),
                () => Fill(Path.Combine(seen, "scheduler.db"), filler),
                () => Task.Run(() => File.Delete(filler)));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// <c>chattr +i</c> on the database file and its WAL: writes through the node's open handles then fail (EPERM), for
    /// root too, which chmod cannot do. Needs CAP_LINUX_IMMUTABLE (root, as in CI) and a file system with the
    /// immutable flag that checks it on every write (ext4, xfs, btrfs; not tmpfs), as the repository's disk has.
    /// </summary>
    [Fact]
    public async Task Should_answer_503_lose_nothing_acknowledged_and_resume_firing_when_the_sqlite_file_is_read_only()
    {
        Assert.True(Environment.IsPrivilegedProcess,
            "This drill makes the database file immutable with chattr +i, which needs root (CAP_LINUX_IMMUTABLE); run it as root, as CI does.");
        // In the repository's .artifacts, not the temporary directory: that may be a tmpfs, which checks the flag only on open.
        var data = RepositoryFiles.Path(".artifacts", "drills", "as-readonly-" + Guid.NewGuid().ToString("N"));
        string[] files = [Path.Combine(data, "scheduler.db"), Path.Combine(data, "scheduler.db-wal")];
        try
        {
            await using var node = await NodeProcess.StartAsync(data);
            await new OutageDrill(node, output).Run("database file and WAL read-only (chattr +i)", TimeSpan.FromSeconds(20),
                () => Chattr("+i", files), () => Chattr("-i", files));
        }
        finally
        {
            await Chattr("-i", files.Where(File.Exists).ToArray());
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Fills the file system: first the WAL is checkpointed and truncated to nothing, so that the node's next commit
    /// needs new space (a WAL keeps its size and is written over, so a disk filled beside a large WAL can go on taking
    /// commits for a while, as it would on a real disk), then <paramref name="filler"/> takes every free block.
    /// </summary>
    private static async Task Fill(string database, string filler)
    {
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 10000; SELECT count(*) FROM sqlite_master; PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }
        var block = new byte[1 << 20];
        await using var stream = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
                await stream.WriteAsync(block);
        }
        catch (IOException)
        {
            // ENOSPC: the file system is full, as intended.
        }
    }

    private static async Task Chattr(string flag, string[] files)
    {
        if (files.Length == 0)
            return;
        var start = new ProcessStartInfo("chattr") { RedirectStandardError = true };
        foreach (var argument in files.Prepend(flag))
            start.ArgumentList.Add(argument);
        using var chattr = Process.Start(start)!;
        var error = await chattr.StandardError.ReadToEndAsync();
        await chattr.WaitForExitAsync();
        Assert.True(chattr.ExitCode == 0, $"chattr {flag} failed (the data directory's file system must support the immutable flag): {error}");
    }
}
