using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using static ActorScheduler.Engine.Tests.JobSteps;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// Boards in the job index (<see cref="BoardTables"/>) on each database the engine supports: a job index made before
/// boards existed gets its <c>board</c> column and keeps its rows; the job list filters by board; boards are counted.
/// </summary>
public abstract class BoardTablesSpecs(TestDatabase database) : IDisposable
{
    private readonly IndexTables _index = new(database.Open);

    public void Dispose() => database.Dispose();

    /// <summary>The job index as the engine made it before boards (issue 15).</summary>
    private const string IndexBeforeBoards = """
        CREATE TABLE job_index (
          job_id TEXT PRIMARY KEY, shard INTEGER NOT NULL, version BIGINT NOT NULL, status TEXT NOT NULL,
          worker TEXT, tags TEXT NOT NULL, wake_at BIGINT, generation BIGINT NOT NULL, view TEXT NOT NULL);
        INSERT INTO job_index (job_id, shard, version, status, worker, tags, wake_at, generation, view)
        VALUES ('old-job', 1, 1, 'waiting', NULL, '', NULL, 1, '{"id":"old-job","status":"waiting","enabled":true,"definition":{"id":"old-job","run":{"handler":{"name":"noop"}}},"runCount":0,"failureCount":0,"version":1}');
        """;

    private static JobIndexRow Row(string id, string? board, bool canceled = false)
    {
        var definition = new JobDefinition { Id = id, Board = board, Run = new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } } };
        var defined = Do(JobState.Empty(JobId.Parse(id)), new DefineJob(definition, CreateOnly: true), T0);
        return (canceled ? Do(defined.After, new CancelJob("spec"), T0.AddSeconds(1)) : defined).Effects.IndexRow;
    }

    private IReadOnlyList<string> Listed(string? board) =>
        _index.List(new JobListQuery(null, null, null, 10, null, Board: board)).Select(view => CoreJson.Deserialize<JobView>(view).Id).ToList();

    [Fact]
    public void Should_add_the_board_column_and_keep_the_rows_when_the_job_index_predates_boards()
    {
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = IndexBeforeBoards;
            command.ExecuteNonQuery();
        }

        _index.EnsureSchema();
        _index.EnsureSchema(); // every start runs it: the second finds the column
        _index.Upsert([Row("new-job", "nightly")]);

        Assert.Equal(["new-job", "old-job"], Listed(null));
        Assert.Equal(["new-job"], Listed("nightly"));
        Assert.Equal("nightly", Assert.Single(_index.Boards.List()).Name);
    }

    [Fact]
    public void Should_count_each_boards_jobs_by_status_with_canceled_ones_apart()
    {
        _index.EnsureSchema();
        _index.Upsert([Row("a1", "alpha"), Row("a2", "alpha"), Row("a3", "alpha", canceled: true), Row("b1", "beta"), Row("loose", null)]);

        var boards = _index.Boards.List();

        Assert.Equal(["alpha", "beta"], boards.Select(board => board.Name));
        Assert.Equal(2, boards[0].Jobs);
        Assert.Equal(new Dictionary<string, long> { ["canceled"] = 1, ["waiting"] = 2 }, boards[0].ByStatus);
        Assert.Equal(1, boards[1].Jobs);
        Assert.Equal(["a1", "a2", "a3"], Listed("alpha"));
    }

    [Fact]
    public void Should_move_a_job_between_boards_when_its_definition_names_another()
    {
        _index.EnsureSchema();
        var first = Row("mover", "alpha");
        var moved = Do(first.Source, new DefineJob(first.Source.Definition with { Board = "beta" }, CreateOnly: false), T0.AddSeconds(1)).Effects.IndexRow;

        _index.Upsert([first]);
        _index.Upsert([moved]);

        Assert.Empty(Listed("alpha"));
        Assert.Equal(["mover"], Listed("beta"));
    }
}

public sealed class BoardTablesOnSqliteSpecs() : BoardTablesSpecs(TestDatabase.Sqlite());

public sealed class BoardTablesOnPostgresSpecs() : BoardTablesSpecs(TestDatabase.Postgres());
