using System.Text.Json;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Storage;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Node;

/// <summary>
/// <c>actor-scheduler restore &lt;file&gt; [--data DIR | --postgres "&lt;connection string&gt;"]</c>: puts a backup
/// (<c>GET /api/v1/export</c>) back as the database a node starts on — the node's own database as its configuration
/// names it (appsettings, environment, switches, as for a start), or the PostgreSQL database given. Refuses a target
/// that holds anything (docs/OPERATIONS.md, "Backup and restore").
/// </summary>
public static class RestoreCommand
{
    public const string Name = "restore";

    private const string Usage = "usage: actor-scheduler restore <backup file> [--data DIR | --postgres \"<connection string>\"] [other node options]";

    /// <returns>0 restored; 2 bad usage, a file that is no backup or a target that is not empty; 1 a failure on the way.</returns>
    public static async Task<int> RunAsync(string[] args, string baseDirectory)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(Usage);
            Console.WriteLine("Restores a backup taken with GET /api/v1/export into an empty data directory (SQLite) or an empty PostgreSQL database; docs/OPERATIONS.md.");
            return 0;
        }
        DatabaseSettings target;
        string file;
        try
        {
            (file, var postgres, var nodeOptions) = Parse(args);
            var node = HostConfiguration.Build(nodeOptions, baseDirectory);
            var chosen = postgres is null
                ? node
                : ConfigurationFactory.ParseString($"actor-scheduler.database {{ provider = postgres, postgres-connection = {JsonSerializer.Serialize(postgres)} }}").WithFallback(node);
            target = DatabaseSettings.From(EngineConfig.Load(chosen));
            if (target.IsPostgres && string.IsNullOrWhiteSpace(target.PostgresConnection))
                throw new ArgumentException("The provider is postgres but no connection string is set: give --postgres \"<connection string>\".");
        }
        catch (Exception e) when (e is ArgumentException or ConfigurationException)
        {
            Console.Error.WriteLine($"actor-scheduler restore: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Console.WriteLine($"Restoring {file} into {EngineDatabase.Describe(target)} …");
        try
        {
            var summary = await BackupRestore.RestoreAsync(file, target);
            Console.WriteLine($"Restored {summary} into {EngineDatabase.Describe(target)}. Start the node on it as usual; every job recovers from its journal.");
            // A restored data directory has no clean-stop marker, so a SQLite node repairs these by itself; PostgreSQL
            // nodes keep theirs in their own data directories.
            if (target.IsPostgres && BackupFile.JobsBehindTheirJournal(file) is > 0 and var behind)
                Console.WriteLine($"{behind} jobs' index rows were behind their journal when the backup was taken (writes in flight). Start the first " +
                    "scheduler node on a new data directory, or delete the file clean-stop from its data directory, and it repairs them at start.");
            return 0;
        }
        catch (BackupException e)
        {
            Console.Error.WriteLine($"actor-scheduler restore: {e.Message} Nothing was restored.");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException or NpgsqlException or InvalidOperationException)
        {
            Console.Error.WriteLine($"actor-scheduler restore: the restore failed and was undone ({e.GetType().Name}): {e.Message}");
            return 1;
        }
    }

    /// <summary>The backup file (the one positional argument), <c>--postgres</c>'s value, and the node options left for the configuration.</summary>
    private static (string File, string? Postgres, string[] NodeOptions) Parse(string[] args)
    {
        string? file = null;
        string? postgres = null;
        var nodeOptions = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                file = file is null ? args[i] : throw new ArgumentException($"One backup file at a time: '{file}' and '{args[i]}' were given.");
                continue;
            }
            if (i + 1 >= args.Length)
                throw new ArgumentException($"Option '{args[i]}' needs a value.");
            if (args[i] == "--postgres")
                postgres = args[++i];
            else
                nodeOptions.AddRange([args[i], args[++i]]);
        }
        if (postgres is not null && nodeOptions.Contains("--data"))
            throw new ArgumentException("Give --data (SQLite) or --postgres, not both.");
        return (file ?? throw new ArgumentException("Name the backup file to restore."), postgres, [.. nodeOptions]);
    }
}
