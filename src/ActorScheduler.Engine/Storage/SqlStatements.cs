using System.Data;
using System.Data.Common;

namespace ActorScheduler.Engine.Storage;

/// <summary>A NULL parameter of a given type (PostgreSQL cannot infer the type of a bare NULL).</summary>
internal sealed record NullOf(DbType Type)
{
    public static readonly NullOf Int64 = new(DbType.Int64);
}

/// <summary>
/// Many statements inside one transaction, sent the cheapest way the database allows: PostgreSQL gets them all
/// in one round trip (a <see cref="DbBatch"/>, sent at <see cref="Execute"/>); SQLite has no batches and no round
/// trips, so each runs at once through one prepared command per SQL text.
/// </summary>
internal abstract class SqlStatements : IDisposable
{
    public static SqlStatements For(DbConnection connection, DbTransaction transaction) =>
        connection.CanCreateBatch ? new Batched(connection, transaction) : new Prepared(connection, transaction);

    /// <summary>Adds (or, on SQLite, runs) one statement; a null value is a text NULL, a <see cref="NullOf"/> a typed one.</summary>
    public abstract void Add(string sql, params (string Name, object? Value)[] values);

    /// <summary>
    /// Sends what is still pending; the caller commits. Answers the rows each statement added since the last call
    /// affected, in the order they were added (an insert that met ON CONFLICT DO NOTHING affected none).
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
        private List<int> _affected = new();

        public override void Add(string sql, params (string Name, object? Value)[] values)
        {
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
            _affected.Add(command.ExecuteNonQuery());
        }

        public override IReadOnlyList<int> Execute()
        {
            var affected = _affected;
            _affected = new List<int>();
            return affected;
        }

        public override void Dispose()
        {
            foreach (var command in _commands.Values)
                command.Dispose();
        }
    }

    private sealed class Batched : SqlStatements
    {
        private readonly DbBatch _batch;

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

        public override IReadOnlyList<int> Execute()
        {
            if (_batch.BatchCommands.Count == 0)
                return [];
            _batch.ExecuteNonQuery();
            var affected = _batch.BatchCommands.Select(command => command.RecordsAffected).ToList();
            _batch.BatchCommands.Clear();
            return affected;
        }

        public override void Dispose() => _batch.Dispose();
    }
}
