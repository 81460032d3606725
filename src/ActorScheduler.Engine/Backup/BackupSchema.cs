using System.Data.Common;
using ActorScheduler.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Backup;

/// <summary>A table as a database's catalog describes it: each column's name and declared type (lower case).</summary>
public sealed record CatalogTable(string Name, IReadOnlyDictionary<string, string> Columns);

/// <summary>
/// The tables a backup carries: every table of the engine's schema — Akka.Persistence.Sql's <c>journal</c> and
/// <c>snapshot</c> (tag-write-mode Csv: tags live in the journal row, there is no tag table) and the tables the engine
/// makes itself (<see cref="IndexTables.EnsureSchema"/>: job index, trigger index, runs read model, and whatever it
/// makes in future). A backup file is a SQLite database with exactly the schema a node makes on SQLite, so one file
/// restores onto either provider.
/// </summary>
/// <remarks>
/// The journal DDL repeats what the journal plugin (1.5.73) creates with auto-initialize, for a restore into a
/// database the plugin has not touched yet and for an export from PostgreSQL; the plugin keeps tables it finds. The
/// engine's own tables are made by the engine's own code, so a table added there travels in backups without a change here.
/// </remarks>
public static class BackupSchema
{
    /// <summary>What a file must hold to be a backup a node can start on (table → columns it must have).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>
    {
        ["journal"] = ["ordering", "created", "deleted", "persistence_id", "sequence_number", "message", "tags", "manifest", "identifier", "writer_uuid"],
        ["snapshot"] = ["persistence_id", "sequence_number", "created", "snapshot", "manifest", "serializer_id"],
        ["job_index"] = ["job_id", "version", "status", "wake_at", "generation", "view"],
    };

    private const string SqliteJournal = """
        CREATE TABLE IF NOT EXISTS [journal]
        (
          [ordering]        INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
          [created]         INTEGER        NOT NULL,
          [deleted]         Bit            NOT NULL,
          [persistence_id]  NVarChar(255)  NOT NULL,
          [sequence_number] INTEGER        NOT NULL,
          [message]         VarBinary      NOT NULL,
          [tags]            NVarChar(100)      NULL,
          [manifest]        NVarChar(500)      NULL,
          [identifier]      INTEGER            NULL,
          [writer_uuid]     NVarChar(128)      NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS journal_uq ON journal (persistence_id, sequence_number);
        CREATE INDEX IF NOT EXISTS journal_created_idx ON journal (created);
        CREATE INDEX IF NOT EXISTS journal_sequence_number_idx ON journal (sequence_number);
        CREATE TABLE IF NOT EXISTS [snapshot]
        (
          [persistence_id]  NVarChar(255) NOT NULL,
          [sequence_number] INTEGER       NOT NULL,
          [created]         INTEGER       NOT NULL,
          [snapshot]        VarBinary         NULL,
          [manifest]        NVarChar(500)     NULL,
          [serializer_id]   INTEGER           NULL,
          CONSTRAINT [PK_snapshot] PRIMARY KEY ([persistence_id], [sequence_number])
        );
        CREATE INDEX IF NOT EXISTS snapshot_sequence_number_idx ON snapshot (sequence_number);
        CREATE INDEX IF NOT EXISTS snapshot_created_idx ON snapshot (created);
        """;

    private const string PostgresJournal = """
        CREATE TABLE IF NOT EXISTS journal (
          ordering bigint GENERATED ALWAYS AS IDENTITY NOT NULL, created bigint NOT NULL, deleted boolean NOT NULL,
          persistence_id text NOT NULL, sequence_number bigint NOT NULL, message bytea NOT NULL, tags text,
          manifest text, identifier integer, writer_uuid text,
          CONSTRAINT "PK_journal" PRIMARY KEY (ordering),
          CONSTRAINT journal_uq UNIQUE (persistence_id, sequence_number));
        CREATE INDEX IF NOT EXISTS journal_created_idx ON journal (created);
        CREATE INDEX IF NOT EXISTS journal_sequence_number_idx ON journal (sequence_number);
        CREATE TABLE IF NOT EXISTS snapshot (
          persistence_id text NOT NULL, sequence_number bigint NOT NULL, created bigint NOT NULL, snapshot bytea,
          manifest text, serializer_id integer,
          CONSTRAINT "PK_snapshot" PRIMARY KEY (persistence_id, sequence_number));
        CREATE INDEX IF NOT EXISTS snapshot_created_idx ON snapshot (created);
        CREATE INDEX IF NOT EXISTS snapshot_sequence_number_idx ON snapshot (sequence_number);
        """;

    /// <summary>Creates every table of the engine's schema that is missing, as a node would (<paramref name="connect"/> opens a new connection to the same database).</summary>
    public static void Create(Func<DbConnection> connect)
    {
        using (var connection = connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = connection is SqliteConnection ? SqliteJournal : PostgresJournal;
            command.ExecuteNonQuery();
        }
        new IndexTables(connect).EnsureSchema();
    }

    /// <summary>The database's tables (SQLite: all but its own; PostgreSQL: the current schema's), by name.</summary>
    public static IReadOnlyDictionary<string, CatalogTable> Tables(DbConnection connection, DbTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = connection is SqliteConnection
            ? "SELECT m.name, p.name, lower(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            : """
              SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
              WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              """;
        var tables = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                if (!tables.TryGetValue(reader.GetString(0), out var columns))
                    tables[reader.GetString(0)] = columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                columns[reader.GetString(1)] = reader.GetString(2);
            }
        return tables.ToDictionary(t => t.Key, t => new CatalogTable(t.Key, t.Value), StringComparer.Ordinal);
    }
}
