using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ActorScheduler.Engine.Backup;

/// <summary>
/// Copies rows between the engine's database and a backup file, inside the callers' transactions: every table of
/// the target's schema (made by <see cref="BackupSchema.Create"/>) that the source has, column by column by name.
/// SQLite receives the values as read (one prepared insert); PostgreSQL receives a binary COPY, each value converted
/// to its column's type (a SQLite 0/1 becomes a boolean).
/// </summary>
internal static class TableCopy
{
    /// <returns>The source's tables the target's schema has no place for (left out).</returns>
    /// <exception cref="BackupException">A source table has a column its target table lacks: copying would lose it.</exception>
    public static IReadOnlyList<string> CopyAll(DbConnection source, DbTransaction? sourceTransaction, DbConnection target, DbTransaction targetTransaction)
    {
        var from = BackupSchema.Tables(source, sourceTransaction);
        var to = BackupSchema.Tables(target, targetTransaction);
        foreach (var table in to.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!from.TryGetValue(table.Name, out var origin))
                continue; // e.g. a database no node has recovered a job on has no journal yet
            if (origin.Columns.Keys.FirstOrDefault(column => !table.Columns.ContainsKey(column)) is { } lost)
                throw new BackupException($"Column {table.Name}.{lost} has no place in the target's table {table.Name}; " +
                    "the backup comes from another version of ActorScheduler than this one: restore it with that version.");
            var columns = origin.Columns.Keys.ToList();
            var rows = Rows(source, sourceTransaction, table.Name, columns);
            if (target is NpgsqlConnection postgres)
                IntoPostgres(rows, table, columns, postgres);
            else
                IntoSqlite(rows, table.Name, columns, (SqliteConnection)target, (SqliteTransaction)targetTransaction);
        }
        return from.Keys.Where(name => !to.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
    }

    public static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private static string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(Quoted));

    private static IEnumerable<object?[]> Rows(DbConnection source, DbTransaction? transaction, string table, IReadOnlyList<string> columns)
    {
        using var command = source.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ColumnList(columns)} FROM {Quoted(table)}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
        }
    }

    private static void IntoSqlite(IEnumerable<object?[]> rows, string table, IReadOnlyList<string> columns, SqliteConnection target, SqliteTransaction transaction)
    {
        using var insert = target.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {Quoted(table)} ({ColumnList(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter { ParameterName = $"@c{i}" })).ToList();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
                parameters[i].Value = row[i] ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>A binary COPY inside the connection's open transaction; COPY may set an identity column (the journal's ordering).</summary>
    private static void IntoPostgres(IEnumerable<object?[]> rows, CatalogTable table, IReadOnlyList<string> columns, NpgsqlConnection target)
    {
        var types = columns.Select(column => PostgresType(table.Name, column, table.Columns[column])).ToArray();
        using var importer = target.BeginBinaryImport($"COPY {Quoted(table.Name)} ({ColumnList(columns)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            importer.StartRow();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is { } value)
                    importer.Write(Convert(value, types[i]), types[i]);
                else
                    importer.WriteNull();
            }
        }
        importer.Complete();
    }

    private static NpgsqlDbType PostgresType(string table, string column, string type) => type switch
    {
        "boolean" => NpgsqlDbType.Boolean,
        "smallint" => NpgsqlDbType.Smallint,
        "integer" => NpgsqlDbType.Integer,
        "bigint" => NpgsqlDbType.Bigint,
        "real" => NpgsqlDbType.Real,
        "double precision" => NpgsqlDbType.Double,
        "numeric" => NpgsqlDbType.Numeric,
        "text" or "character varying" or "character" => NpgsqlDbType.Text,
        "bytea" => NpgsqlDbType.Bytea,
        _ => throw new BackupException($"Column {table}.{column} has the type {type}, which a restore cannot fill from a backup file."),
    };

    /// <summary>A value as SQLite gives it (long, double, string, byte[]), as the PostgreSQL column takes it.</summary>
    private static object Convert(object value, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Boolean => value is bool flag ? flag : System.Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        NpgsqlDbType.Smallint => System.Convert.ToInt16(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Integer => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Bigint => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Real => System.Convert.ToSingle(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Numeric => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Bytea => value as byte[] ?? Encoding.UTF8.GetBytes(System.Convert.ToString(value, CultureInfo.InvariantCulture)!),
        _ => value as string ?? System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
