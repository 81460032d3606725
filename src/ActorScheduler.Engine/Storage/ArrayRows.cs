using System.Data.Common;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// The rows of <see cref="RowStatement"/>s gathered for one PostgreSQL batch: per statement, chunks of rows whose keys
/// differ (a repeated key starts the next chunk), each chunk one statement over arrays (a column's values as one array
/// parameter), in the order added.
/// </summary>
internal sealed class ArrayRows
{
    private sealed record Chunk(RowStatement Statement)
    {
        public List<(string Name, object? Value)[]> Rows { get; } = new();

        public HashSet<object?> Keys { get; } = new();
    }

    private readonly List<Chunk> _chunks = new();
    private readonly Dictionary<RowStatement, Chunk> _open = new(ReferenceEqualityComparer.Instance);

    public void Add(RowStatement statement, (string Name, object? Value)[] values)
    {
        var hasKey = statement.Key is not null;
        if (!_open.TryGetValue(statement, out var chunk) || (hasKey && chunk.Keys.Contains(KeyOf(statement, values))))
        {
            _open[statement] = chunk = new Chunk(statement);
            _chunks.Add(chunk);
        }
        if (hasKey)
            chunk.Keys.Add(KeyOf(statement, values));
        chunk.Rows.Add(values);
    }

    /// <summary>Adds a statement per chunk to <paramref name="batch"/> and starts afresh.</summary>
    public void AddTo(DbBatch batch)
    {
        foreach (var chunk in _chunks)
            batch.BatchCommands.Add(Command(batch, chunk.Statement.ArraySql, chunk.Rows));
        _chunks.Clear();
        _open.Clear();
    }

    public static object? KeyOf(RowStatement statement, (string Name, object? Value)[] values) =>
        Array.Find(values, value => value.Name == statement.Key).Value;

    /// <summary><paramref name="sql"/> with each parameter (named as in the first row) bound to the array of the rows' values.</summary>
    public static DbBatchCommand Command(DbBatch batch, string sql, IReadOnlyList<(string Name, object? Value)[]> rows)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        for (var column = 0; column < rows[0].Length; column++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = rows[0][column].Name;
            parameter.Value = ArrayOf(rows, column);
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// A column's values as an array of their type (an array of nullables where a value type has NULLs): Npgsql sends
    /// it as the matching PostgreSQL array. A column of text NULLs only is a text array.
    /// </summary>
    private static Array ArrayOf(IReadOnlyList<(string Name, object? Value)[]> rows, int column)
    {
        Type? type = null;
        Type? typeOfNulls = null;
        var hasNulls = false;
        foreach (var row in rows)
        {
            switch (row[column].Value)
            {
                case null:
                    hasNulls = true;
                    break;
                case NullOf typed:
                    hasNulls = true;
                    typeOfNulls ??= typed.Element;
                    break;
                case var value:
                    type ??= value.GetType();
                    break;
            }
        }
        var element = type ?? typeOfNulls ?? typeof(string);
        if (hasNulls && element.IsValueType)
            element = typeof(Nullable<>).MakeGenericType(element);
        var array = Array.CreateInstance(element, rows.Count);
        for (var i = 0; i < rows.Count; i++)
            array.SetValue(rows[i][column].Value is NullOf ? null : rows[i][column].Value, i);
        return array;
    }
}
