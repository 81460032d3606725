using System.Diagnostics;
using Npgsql;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// A throwaway PostgreSQL 15 server of one drill's own (initdb into a temporary directory, a free loopback port, trust
/// authentication on loopback only), so that the drill can stop and start it while other tests use the shared server
/// on 5432. Run as the <c>postgres</c> user (through runuser) when the tests run as root, as CI does: PostgreSQL
/// refuses to run as root. Removed, directory and all, when disposed.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "as-pg-" + Guid.NewGuid().ToString("N")[..10]);

    private PrivatePostgres(int port) => Port = port;

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ToString();

    /// <summary>initdb, start, and a database named <paramref name="database"/>.</summary>
    public static async Task<PrivatePostgres> StartAsync(string database)
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}); scripts/test installs it.");
        var server = new PrivatePostgres(NodeProcess.FreePort());
        try
        {
            Directory.CreateDirectory(server._root);
            if (Environment.IsPrivilegedProcess)
                await Run("chown", "postgres:postgres", server._root);
            await server.AsServerUser("initdb", "-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync");
            await server.StartServerAsync();
            await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>pg_ctl stop -m fast</c>: every connection is ended, the server is gone when this returns.</summary>
    public Task StopServerAsync() => AsServerUser("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");

    /// <summary><c>pg_ctl start</c>; returns once it accepts connections.</summary>
    public Task StartServerAsync() => AsServerUser("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "120",
        "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await AsServerUser("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already stopped: nothing to do.
            }
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Task AsServerUser(string program, params string[] arguments) => Environment.IsPrivilegedProcess
        ? Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, program), .. arguments])
        : Run(Path.Combine(Bin, program), arguments);

    private static async Task Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}
