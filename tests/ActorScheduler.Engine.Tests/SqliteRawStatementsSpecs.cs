using ActorScheduler.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The writers' raw statements store every value exactly as Microsoft.Data.Sqlite does (type and content, empty text
/// and blobs included), count changed rows as it does, and fail with the same SQLite error codes.
/// </summary>
public sealed class SqliteRawStatementsSpecs : IDisposable
{
    private const string Insert = "INSERT INTO t (k, i, b, d, s, x) VALUES (@k, @i, @b, @d, @s, @x) ON CONFLICT (k) DO NOTHING";

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteRawStatementsSpecs()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (k TEXT PRIMARY KEY, i, b, d, s, x)";
        create.ExecuteNonQuery();
    }

    public static TheoryData<object?, object?, object?, object?, object?> Values() => new()
    {
        { 42L, true, 1.5, "plain", new byte[] { 1, 2, 3 } },
        { int.MaxValue, false, -0.25, "", Array.Empty<byte>() },
        { null, null, null, null, null },
        { long.MinValue, true, 0.0, "ünïcødé ✓ " + new string('x', 5_000), new byte[70_000] },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Should_store_values_as_Microsoft_Data_Sqlite_does(object? i, object? b, object? d, object? s, object? x)
    {
        using (var transaction = _connection.BeginTransaction())
        using (var statements = new SqliteRawStatements(_connection))
        {
            Assert.True(SqliteRawStatements.CanBind(Row("raw", i, b, d, s, x)));
            Assert.Equal(1, statements.Run(Insert, Row("raw", i, b, d, s, x)));
            transaction.Commit();
        }
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = Insert;
            foreach (var (name, value) in Row("ado", i, b, d, s, x))
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            command.ExecuteNonQuery();
        }

        Assert.Equal(Stored("ado"), Stored("raw"));
    }

    [Fact]
    public void Should_count_no_change_for_an_insert_that_met_its_conflict_and_reuse_the_statement()
    {
        using var statements = new SqliteRawStatements(_connection);
        Assert.Equal(1, statements.Run(Insert, Row("a", 1L, true, 1.0, "x", new byte[] { 1 })));
        Assert.Equal(0, statements.Run(Insert, Row("a", 2L, true, 1.0, "y", new byte[] { 2 })));
        Assert.Equal(1, statements.Run(Insert, Row("b", 3L, false, 1.0, "z", new byte[] { 3 })));
        Assert.Equal("x", Stored("a")[4]);
    }

    [Fact]
    public void Should_fail_a_constraint_with_SQLites_code_and_leave_the_statement_usable()
    {
        using var statements = new SqliteRawStatements(_connection);
        const string strict = "INSERT INTO t (k, i) VALUES (@k, @i)";
        statements.Run(strict, [("@k", "same"), ("@i", 1L)]);
        var error = Assert.Throws<SqliteException>(() => { statements.Run(strict, [("@k", "same"), ("@i", 2L)]); });
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1, statements.Run(strict, [("@k", "other"), ("@i", 3L)]));
    }

    [Fact]
    public void Should_leave_values_it_cannot_bind_exactly_to_the_usual_path()
    {
        Assert.False(SqliteRawStatements.CanBind([("@k", "a"), ("@i", DateTime.UtcNow)]));
        Assert.False(SqliteRawStatements.CanBind([("@k", "a"), ("@i", 1.5m)]));
    }

    [Theory]
    [InlineData("INSERT INTO t (k) VALUES (@k)", true)]
    [InlineData("  update t SET i = @i WHERE k = @k;", true)]
    [InlineData("DELETE FROM t WHERE k = @k", true)]
    [InlineData("SELECT k FROM t WHERE k = @k", false)]
    [InlineData("DELETE FROM t WHERE k = @k; DELETE FROM t WHERE i = @i", false)]
    [InlineData("PRAGMA busy_timeout=1", false)]
    public void Should_take_only_single_data_changing_statements(string sql, bool raw) =>
        Assert.Equal(raw, SqliteRawStatements.IsOneWrite(sql));

    [Fact]
    public void Should_leave_a_statement_it_does_not_run_to_the_caller_untouched()
    {
        using var statements = new SqliteRawStatements(_connection);
        Assert.False(statements.TryRun("SELECT k FROM t WHERE k = @k", [("@k", "a")], out _));
        Assert.False(statements.TryRun("INSERT INTO t (k, i) VALUES (@k, @i)", [("@k", "a"), ("@i", DateTime.UtcNow)], out _));
        Assert.True(statements.TryRun("INSERT INTO t (k, i) VALUES (@k, @i)", [("@k", "b"), ("@i", 1L)], out var changed));
        Assert.Equal(1, changed);
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(1L, count.ExecuteScalar());
    }

    private static (string Name, object? Value)[] Row(string key, object? i, object? b, object? d, object? s, object? x) =>
        [("@k", key), ("@i", i), ("@b", b), ("@d", d), ("@s", s), ("@x", x)];

    private object?[] Stored(string key)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT typeof(i), typeof(b), typeof(d), typeof(s), s, typeof(x), hex(x), i, b, d FROM t WHERE k = @k";
        command.Parameters.AddWithValue("@k", key);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray();
    }

    public void Dispose() => _connection.Dispose();
}
