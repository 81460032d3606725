using System.Data.Common;

namespace ActorScheduler.Engine.Storage;

/// <summary>One slice of a deployed script's bytes: <paramref name="Bytes"/> from <c>offset</c> of <paramref name="Size"/> in all.</summary>
public sealed record ScriptSlice(long Size, byte[] Bytes);

/// <summary>
/// Deployed scripts by content (<c>deployed_scripts</c>), in the same database as the journal: each script's bytes once,
/// under the SHA-256 that job definitions name (<c>run.script.sha256</c>). Rows are only ever added, so every revision a
/// job ever ran stays fetchable for its retries and for other workers. SQL that SQLite and PostgreSQL both accept
/// (BYTEA is a BLOB to SQLite; <c>substr</c> slices bytes in both).
/// </summary>
/// <param name="connect">Returns a new open connection; the caller disposes it.</param>
public sealed class DeployedScriptTables(Func<DbConnection> connect)
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS deployed_scripts (
          sha256 TEXT NOT NULL PRIMARY KEY, size BIGINT NOT NULL, content BYTEA NOT NULL,
          path TEXT NOT NULL, deployed_at BIGINT NOT NULL);
        """;

    /// <summary>Creates the table where it does not exist yet (at start-up, under the schema lock).</summary>
    public void EnsureSchema() => Execute(Schema);

    /// <summary>Stores a script's bytes under their hash; a hash already stored is left as it is (same bytes).</summary>
    public void Store(string sha256, string path, byte[] content, DateTimeOffset at) =>
        Execute("INSERT INTO deployed_scripts (sha256, size, content, path, deployed_at) VALUES (@sha256, @size, @content, @path, @at) " +
                "ON CONFLICT (sha256) DO NOTHING",
            ("@sha256", sha256), ("@size", (long)content.Length), ("@content", content), ("@path", path), ("@at", at.UtcTicks));

    /// <summary>Up to <paramref name="length"/> bytes of the script from byte <paramref name="offset"/>; null when no script has that hash.</summary>
    public ScriptSlice? Read(string sha256, int offset, int length)
    {
        using var connection = connect();
        using var command = Command(connection, "SELECT size, substr(content, @from, @length) FROM deployed_scripts WHERE sha256 = @sha256",
            ("@from", offset + 1), ("@length", length), ("@sha256", sha256));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ScriptSlice(reader.GetInt64(0), reader.IsDBNull(1) ? [] : (byte[])reader.GetValue(1)) : null;
    }

    private void Execute(string sql, params (string Name, object Value)[] values)
    {
        using var connection = connect();
        using var command = Command(connection, sql, values);
        command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
