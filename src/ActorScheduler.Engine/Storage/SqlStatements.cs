using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Storage;

/// <summary>A NULL parameter of a given type (PostgreSQL cannot infer the type of a bare NULL).</summary>
internal sealed record NullOf(DbType Type)
{
    public static readonly NullOf Int64 = new(DbType.Int64);

    public Type Element => Type switch
    {
        DbType.Int64 => typeof(long),
        DbType.Int32 => typeof(int),
        _ => throw new NotSupportedException($"No array of {Type} NULLs."),
    };
}

/// <summary>
/// A statement written for one row (<see cref="Sql"/>, its values as parameters) that PostgreSQL runs for many rows at
/// once: <see cref="ArraySql"/> takes each parameter as an array of the rows' values. <see cref="Key"/> names the
/// parameter of an ON CONFLICT DO UPDATE key: rows repeating a key go in a later statement, in order (one statement
/// cannot update a row twice).
/// </summary>
internal sealed record RowStatement(string Sql, string ArraySql, string? Key = null)
{
    /// <summary>For <c>INSERT … VALUES (@a, @b, …) …</c>: the same with <c>SELECT * FROM unnest(@a, @b, …)</c>.</summary>
    public static RowStatement Insert(string sql, string? key = null) =>
        new(sql, sql.Replace("VALUES (", "SELECT * FROM unnest("), key);
}

/// <summary>
/// Many statements inside one transaction, sent the cheapest way the database allows: PostgreSQL gets them all
/// in one round trip (a <see cref="DbBatch"/>, sent at <see cref="Execute"/>), the rows of each
/// <see cref="RowStatement"/> as one statement over arrays; SQLite has no batches and no round trips, so each runs
/// at once through one prepared command per SQL text.
/// </summary>
/// <remarks>
/// PostgreSQL parses, plans and runs every statement of a batch by itself: 200 single-row inserts cost it several
/// times one insert of 200 rows, and cost Npgsql 200 commands' parameters.
/// </remarks>
internal abstract class SqlStatements : IDisposable
{
    public static SqlStatements For(DbConnection connection, DbTransaction transaction) =>
        connection.CanCreateBatch ? new Batched(connection, transaction) : new Prepared(connection, transaction);

    /// <summary>Adds (or, on SQLite, runs) one statement; a null value is a text NULL, a <see cref="NullOf"/> a typed one.</summary>
    public abstract void Add(string sql, params (string Name, object? Value)[] values);

    /// <summary>
    /// Adds (or, on SQLite, runs) one row of <paramref name="statement"/>. On PostgreSQL the rows go after the statements
    /// <see cref="Add"/> added before the next <see cref="Execute"/>: row statements are for tables those do not touch.
    /// </summary>
    public abstract void AddRow(RowStatement statement, params (string Name, object? Value)[] values);

    /// <summary>
    /// Sends what is pending (first), then runs <paramref name="statement"/> for each row, and answers for each whether
    /// it stored its row. On PostgreSQL its <see cref="RowStatement.ArraySql"/> answers the keys of the rows stored
    /// (RETURNING); a key repeated among the rows stores only its first row, as one statement per row would.
    /// </summary>
    public abstract IReadOnlyList<bool> RunEach(RowStatement statement, IReadOnlyList<(string Name, object? Value)[]> rows);

    /// <summary>
    /// Sends what is still pending; the caller commits. Answers the rows each statement <see cref="Add"/> added since
    /// the last call affected, in the order they were added (an insert that met ON CONFLICT DO NOTHING affected none).
    /// </summary>
    public abstract IReadOnlyList<int> Execute();

    public abstract void Dispose();

    /// <summary>A parameter's value: null is a text NULL, a <see cref="NullOf"/> a typed NULL.</summary>
    public static void Set(DbParameter parameter, object? value)
    {
        parameter.Value = value is null or NullOf ? DBNull.Value : value;
        if (value is null or NullOf)
            parameter.DbType = (value as NullOf)?.Type ?? DbType.String;
    }

    private sealed class Prepared(DbConnection connection, DbTransaction transaction) : SqlStatements
    {
        private readonly Dictionary<string, DbCommand> _commands = new();
        private readonly SqliteRawStatements? _raw = connection is SqliteConnection sqlite ? new SqliteRawStatements(sqlite) : null;
        private List<int> _affected = new();

        public override void Add(string sql, params (string Name, object? Value)[] values) => _affected.Add(Run(sql, values));

        public override void AddRow(RowStatement statement, params (string Name, object? Value)[] values) => Run(statement.Sql, values);

        public override IReadOnlyList<bool> RunEach(RowStatement statement, IReadOnlyList<(string Name, object? Value)[]> rows) =>
            rows.Select(row => Run(statement.Sql, row) == 1).ToList();

        private int Run(string sql, (string Name, object? Value)[] values)
        {
            // The writes' hot path binds straight on the native handle (see SqliteRawStatements).
            if (_raw is not null && _raw.TryRun(sql, values, out var changed))
                return changed;
            if (!_commands.TryGetValue(sql, out var command))
            {
                _commands[sql] = command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                foreach (var (name, _) in values)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    command.Parameters.Add(parameter);
                }
            }
            for (var i = 0; i < values.Length; i++)
                Set(command.Parameters[i], values[i].Value);
            return command.ExecuteNonQuery();
        }

        public override IReadOnlyList<int> Execute()
        {
            var affected = _affected;
            _affected = new List<int>();
            return affected;
        }

        public override void Dispose()
        {
            _raw?.Dispose();
            foreach (var command in _commands.Values)
                command.Dispose();
        }
    }

    private sealed class Batched : SqlStatements
    {
        private readonly DbBatch _batch;
        private readonly ArrayRows _rows = new();

        public Batched(DbConnection connection, DbTransaction transaction)
        {
            _batch = connection.CreateBatch();
            _batch.Transaction = transaction;
        }

        public override void Add(string sql, params (string Name, object? Value)[] values)
        {
            var command = _batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in values)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                Set(parameter, value);
                command.Parameters.Add(parameter);
            }
            _batch.BatchCommands.Add(command);
        }

        public override void AddRow(RowStatement statement, params (string Name, object? Value)[] values) => _rows.Add(statement, values);

        public override IReadOnlyList<bool> RunEach(RowStatement statement, IReadOnlyList<(string Name, object? Value)[]> rows)
        {
            Execute();
            if (rows.Count == 0)
                return [];
            var keys = rows.Select(row => ArrayRows.KeyOf(statement, row)).ToList();
            var seen = new HashSet<object?>();
            var first = keys.Select(seen.Add).ToList();
            var command = ArrayRows.Command(_batch, statement.ArraySql, rows.Where((_, i) => first[i]).ToList());
            _batch.BatchCommands.Add(command);
            var stored = new HashSet<object?>();
            using (var reader = _batch.ExecuteReader())
                while (reader.Read())
                    stored.Add(reader.GetValue(0));
            _batch.BatchCommands.Clear();
            return keys.Select((key, i) => first[i] && stored.Contains(key)).ToList();
        }

        public override IReadOnlyList<int> Execute()
        {
            var added = _batch.BatchCommands.Count;
            _rows.AddTo(_batch);
            if (_batch.BatchCommands.Count == 0)
                return [];
            _batch.ExecuteNonQuery();
            var affected = _batch.BatchCommands.Take(added).Select(command => command.RecordsAffected).ToList();
            _batch.BatchCommands.Clear();
            return affected;
        }

        public override void Dispose() => _batch.Dispose();
    }
}
