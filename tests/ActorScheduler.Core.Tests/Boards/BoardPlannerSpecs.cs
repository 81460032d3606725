using ActorScheduler.Core.Boards;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Boards;

public sealed class BoardPlannerSpecs
{
    private static JobDefinition Job(string id, string? board = "nightly", string handler = "noop") =>
        new() { Id = id, Board = board, Run = new RunSpec { Handler = new HandlerRunSpec { Name = handler } } };

    private static CurrentJob Now(JobDefinition definition, JobStatus status = JobStatus.Waiting) => new(definition, status);

    private static Dictionary<string, CurrentJob> Existing(params CurrentJob[] jobs) => jobs.ToDictionary(job => job.Id);

    [Fact]
    public void Should_create_new_jobs_update_changed_ones_and_leave_equal_ones_when_planning()
    {
        var wanted = new[] { Job("a"), Job("b", handler: "other"), Job("c") };
        var current = Existing(Now(Job("b")), Now(Job("c")));

        var plan = BoardPlanner.Plan("nightly", wanted, current, current.Values, prune: false);

        Assert.Empty(plan.Conflicts);
        Assert.Equal(["a"], plan.Changes.Create);
        Assert.Equal(["b"], plan.Changes.Update);
        Assert.Equal(["c"], plan.Changes.Unchanged);
        Assert.Empty(plan.Changes.Remove);
    }

    [Fact]
    public void Should_take_a_definition_that_differs_only_by_left_out_defaults_for_unchanged()
    {
        var stored = Job("a") with { Enabled = true, Overlap = OverlapPolicy.Skip };
        var given = Job("a");

        var plan = BoardPlanner.Plan("nightly", [given], Existing(Now(stored)), [], prune: false);

        Assert.Equal(["a"], plan.Changes.Unchanged);
    }

    [Fact]
    public void Should_update_a_canceled_job_of_the_board_when_the_file_has_it_again()
    {
        var plan = BoardPlanner.Plan("nightly", [Job("a")], Existing(Now(Job("a"), JobStatus.Canceled)), [], prune: false);

        Assert.Equal(["a"], plan.Changes.Update);
    }

    [Fact]
    public void Should_remove_only_with_prune_and_list_the_jobs_not_in_the_file_without_it()
    {
        var members = new[] { Now(Job("a")), Now(Job("z")), Now(Job("y")), Now(Job("gone"), JobStatus.Canceled), Now(Job("other", board: "daily")) };
        var current = Existing(members[0]);

        var pruned = BoardPlanner.Plan("nightly", [Job("a")], current, members, prune: true);
        var kept = BoardPlanner.Plan("nightly", [Job("a")], current, members, prune: false);

        Assert.Equal(["y", "z"], pruned.Changes.Remove);
        Assert.Empty(pruned.Changes.NotInFile);
        Assert.Empty(kept.Changes.Remove);
        Assert.Equal(["y", "z"], kept.Changes.NotInFile);
    }

    [Fact]
    public void Should_report_a_conflict_naming_the_job_and_its_owner_when_another_board_or_none_owns_the_id()
    {
        var wanted = new[] { Job("mine"), Job("theirs"), Job("loose") };
        var current = Existing(Now(Job("theirs", board: "daily")), Now(Job("loose", board: null)));

        var plan = BoardPlanner.Plan("nightly", wanted, current, [], prune: true);

        Assert.Equal([new BoardConflict(1, "theirs", "daily"), new BoardConflict(2, "loose", null)], plan.Conflicts);
        Assert.Contains("'theirs' belongs to board 'daily'", plan.Conflicts[0].Describe("nightly"));
        Assert.Contains("jobs[2]: job 'loose' exists and belongs to no board", plan.Conflicts[1].Describe("nightly"));
    }

    [Theory]
    [InlineData("nightly", null, "nightly")]
    [InlineData(null, "nightly", "nightly")]
    [InlineData("nightly", "nightly", "nightly")]
    public void Should_take_the_requested_name_or_the_files_when_they_agree(string? requested, string? inFile, string expected)
    {
        var (name, error) = BoardPlanner.Name(requested, inFile);

        Assert.Null(error);
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("nightly", "daily", "board")]
    [InlineData(null, null, "board")]
    [InlineData("bad name", null, "name")]
    public void Should_name_the_field_when_the_board_name_is_missing_invalid_or_disagrees(string? requested, string? inFile, string field)
    {
        var (name, error) = BoardPlanner.Name(requested, inFile);

        Assert.Null(name);
        Assert.Equal(field, error!.Field);
    }

    [Fact]
    public void Should_give_every_job_the_board_and_refuse_a_job_naming_another_board()
    {
        var (jobs, errors) = BoardPlanner.Claim("nightly", [Job("a", board: null), Job("b", board: "nightly"), Job("c", board: "daily")]);

        Assert.All(jobs, job => Assert.Equal("nightly", job.Board));
        Assert.Equal("jobs[2].board", Assert.Single(errors).Field);
    }

    [Fact]
    public void Should_refuse_a_board_that_is_not_a_name_when_validating_a_definition()
    {
        var errors = JobDefinitionValidator.Validate(Job("a", board: "no spaces"));

        Assert.Equal("board", Assert.Single(errors).Field);
    }
}
