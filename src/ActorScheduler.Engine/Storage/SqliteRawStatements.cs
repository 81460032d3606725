using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// Statements run straight on a SQLite connection's native handle, inside the caller's transaction, one prepared
/// statement per SQL text: the writers' hot path. Microsoft.Data.Sqlite allocates a binder object per parameter per
/// execution and a reader per statement; this binds from the values as they are (text through a reused UTF-8 buffer).
/// Values it cannot bind exactly as Microsoft.Data.Sqlite would (anything but null, integers, booleans, doubles,
/// strings and byte arrays) are refused with <see cref="CanBind"/>, so the caller runs that statement the usual way.
/// Errors surface as <see cref="SqliteException"/> with SQLite's codes, as from Microsoft.Data.Sqlite.
/// </summary>
public sealed class SqliteRawStatements(SqliteConnection connection) : IDisposable
{
    private readonly sqlite3 _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
    private readonly Dictionary<string, (sqlite3_stmt Statement, int[] Indexes)> _prepared = new();
    private byte[] _text = ArrayPool<byte>.Shared.Rent(256);

    /// <summary>Whether every value is one this binds exactly as Microsoft.Data.Sqlite would.</summary>
    public static bool CanBind((string Name, object? Value)[] values)
    {
        foreach (var (_, value) in values)
            if (value is not (null or NullOf or long or int or bool or double or string or byte[]))
                return false;
        return true;
    }

    private readonly Dictionary<string, bool> _runnable = new();

    /// <summary>
    /// Runs <paramref name="sql"/> here if it is one INSERT, UPDATE or DELETE and every value binds exactly; otherwise
    /// answers false and the caller runs it the usual way.
    /// </summary>
    public bool TryRun(string sql, (string Name, object? Value)[] values, out int changed)
    {
        if (!_runnable.TryGetValue(sql, out var runnable))
            _runnable[sql] = runnable = IsOneWrite(sql);
        changed = runnable && CanBind(values) ? Run(sql, values) : -1;
        return changed >= 0;
    }

    /// <summary>One data-changing statement (a text with a second statement, or a query, goes the usual way).</summary>
    public static bool IsOneWrite(string sql)
    {
        var text = sql.AsSpan().Trim().TrimEnd(';');
        if (text.Contains(';'))
            return false;
        foreach (var verb in (ReadOnlySpan<string>)["INSERT", "UPDATE", "DELETE"])
            if (text.StartsWith(verb, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>Runs <paramref name="sql"/> with <paramref name="values"/> bound by name; answers the rows it changed.</summary>
    public int Run(string sql, (string Name, object? Value)[] values)
    {
        var (statement, indexes) = Prepare(sql, values);
        try
        {
            for (var i = 0; i < values.Length; i++)
                Check(Bind(statement, indexes[i], values[i].Value));
            // A RETURNING clause answers rows; SQLite makes every change at the first step, the rest are read out.
            var result = raw.sqlite3_step(statement);
            while (result == raw.SQLITE_ROW)
                result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE)
                Check(result);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    private (sqlite3_stmt, int[]) Prepare(string sql, (string Name, object? Value)[] values)
    {
        if (_prepared.TryGetValue(sql, out var prepared))
            return prepared;
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        var indexes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            indexes[i] = raw.sqlite3_bind_parameter_index(statement, values[i].Name);
            if (indexes[i] == 0)
            {
                statement.Dispose();
                throw new ArgumentException($"No parameter {values[i].Name} in: {sql}", nameof(values));
            }
        }
        _prepared[sql] = prepared = (statement, indexes);
        return prepared;
    }

    private int Bind(sqlite3_stmt statement, int index, object? value)
    {
        switch (value)
        {
            case null or NullOf:
                return raw.sqlite3_bind_null(statement, index);
            case long number:
                return raw.sqlite3_bind_int64(statement, index, number);
            case int number:
                return raw.sqlite3_bind_int64(statement, index, number);
            case bool flag:
                return raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0);
            case double real:
                return raw.sqlite3_bind_double(statement, index, real);
            // An empty span binds SQLite's NULL (no pointer): empty values get their own calls, as Microsoft.Data.Sqlite does.
            case byte[] { Length: 0 }:
                return raw.sqlite3_bind_zeroblob(statement, index, 0);
            case byte[] bytes:
                return raw.sqlite3_bind_blob(statement, index, bytes);
            case "":
                return raw.sqlite3_bind_text(statement, index, "");
            case string text:
                var length = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (_text.Length < length)
                {
                    ArrayPool<byte>.Shared.Return(_text);
                    _text = ArrayPool<byte>.Shared.Rent(length);
                }
                var written = Encoding.UTF8.GetBytes(text, _text);
                // SQLitePCL binds a span with SQLITE_TRANSIENT: SQLite copies it, so the buffer is free again at once.
                return raw.sqlite3_bind_text(statement, index, _text.AsSpan(0, written));
            default:
                throw new ArgumentException($"Cannot bind a {value.GetType().Name}; check CanBind first.", nameof(value));
        }
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
    }

    public void Dispose()
    {
        foreach (var (statement, _) in _prepared.Values)
            statement.Dispose();
        _prepared.Clear();
        ArrayPool<byte>.Shared.Return(_text);
        _text = [];
    }
}
