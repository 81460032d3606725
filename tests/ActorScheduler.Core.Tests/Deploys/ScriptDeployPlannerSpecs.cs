using System.Text;
using System.Text.Json.Nodes;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Deploys;

namespace ActorScheduler.Core.Tests.Deploys;

public sealed class ScriptDeployPlannerSpecs
{
    private static readonly string HashA = ScriptHash.Of("a"u8), HashB = ScriptHash.Of("b"u8);

    private static JsonObject Job(ScriptDeployPlan plan, string id) =>
        plan.Document["jobs"]!.AsArray().OfType<JsonObject>().Single(j => j["id"]!.GetValue<string>() == id);

    [Theory]
    [InlineData("jobs/extract.sh", "extract")]
    [InlineData("load", "load")]
    [InlineData("a/b/report.daily.py", "report.daily")]
    public void Should_name_a_scripts_job_after_its_file_name_without_the_extension(string path, string id) =>
        Assert.Equal(id, ScriptJobs.IdOf(path).Id);

    [Fact]
    public void Should_refuse_a_file_name_that_is_no_job_id() =>
        Assert.Contains("rename the file", ScriptJobs.IdOf("jobs/my script.sh").Problem);

    [Fact]
    public void Should_give_every_script_a_job_pinned_to_its_hash_scheduled_by_its_header()
    {
        var plan = ScriptDeployPlanner.Plan(null, [new("jobs/extract.sh", HashA, 10, "0 0 2 * * *", "Europe/Amsterdam"), new("load.sh", HashB, 10)], 100);

        Assert.Equal(ScriptJobs.DefaultBoard, plan.Board);
        Assert.Empty(plan.Errors);
        var extract = Job(plan, "extract");
        Assert.Equal(HashA, extract["run"]!["script"]!["sha256"]!.GetValue<string>());
        Assert.Equal("jobs/extract.sh", extract["run"]!["script"]!["path"]!.GetValue<string>());
        Assert.Equal("Europe/Amsterdam", extract["schedule"]!["timeZone"]!.GetValue<string>());
        Assert.Null(Job(plan, "load")["schedule"]);
        Assert.Equal("load.sh", plan.ScriptOfJob["load"]);
    }

    [Fact]
    public void Should_create_script_jobs_disabled_and_keep_the_enabled_state_of_existing_ones()
    {
        var plan = ScriptDeployPlanner.Plan(null, [new("extract.sh", HashA, 1), new("load.sh", HashB, 1)], 100);

        var created = ScriptDeployPlanner.Settle(plan, new Dictionary<string, bool> { ["load"] = true });

        Assert.Equal(["extract"], created);
        Assert.False(Job(plan, "extract")["enabled"]!.GetValue<bool>());
        Assert.True(Job(plan, "load")["enabled"]!.GetValue<bool>(), "a push never disables a job someone enabled");
    }

    [Fact]
    public void Should_pin_a_board_job_whose_shell_command_names_a_script_and_not_make_a_second_job_of_it()
    {
        var board = JsonNode.Parse("""
            { "board": "nightly", "jobs": [
              { "id": "nightly-extract", "run": { "shell": { "command": ["./extract.sh", "--full"], "env": { "A": "1" } } } },
              { "id": "other", "run": { "shell": { "command": ["bash", "-c", "true"] } } } ] }
            """)!.AsObject();

        var plan = ScriptDeployPlanner.Plan(board, [new("extract.sh", HashA, 1)], 100);

        Assert.Equal("nightly", plan.Board);
        var script = Job(plan, "nightly-extract")["run"]!["script"]!;
        Assert.Equal((HashA, "--full", "1"), (script["sha256"]!.GetValue<string>(), script["args"]![0]!.GetValue<string>(), script["env"]!["A"]!.GetValue<string>()));
        Assert.NotNull(Job(plan, "other")["run"]!["shell"]);
        Assert.Equal(2, plan.Document["jobs"]!.AsArray().Count);
    }

    [Fact]
    public void Should_report_a_board_job_that_names_a_script_the_deployment_does_not_have()
    {
        var board = JsonNode.Parse("""{ "jobs": [ { "id": "x", "run": { "script": { "path": "missing.sh" } } } ] }""")!.AsObject();

        var plan = ScriptDeployPlanner.Plan(board, [], 100);

        Assert.Equal("jobs[0].run.script.path", Assert.Single(plan.Errors).Field);
    }

    [Fact]
    public void Should_refuse_scripts_that_share_a_job_id_or_are_too_large_and_deploy_the_rest()
    {
        var plan = ScriptDeployPlanner.Plan(null,
            [new("a/run.sh", HashA, 1), new("b/run.py", HashB, 1), new("big.sh", HashA, 101), new("ok.sh", HashB, 1)], 100);

        Assert.Equal(["a/run.sh", "b/run.py", "big.sh"], plan.Refused.Select(r => r.What).Order());
        Assert.Equal(["ok"], plan.ScriptOfJob.Keys);
    }

    [Fact]
    public void Should_read_schedule_and_time_zone_only_from_the_leading_comment_lines()
    {
        Assert.Equal(("*/5 * * * *", "UTC"), ScriptJobs.Header("#!/bin/sh\n\n# schedule: */5 * * * *\n# time-zone: UTC\necho hi\n"));
        Assert.Equal((null, null), ScriptJobs.Header("#!/bin/sh\necho hi\n# schedule: * * * * *\n"));
    }
}

public sealed class ScriptHashSpecs
{
    [Fact]
    public void Should_match_only_the_bytes_it_was_taken_of()
    {
        var hash = ScriptHash.Of(Encoding.UTF8.GetBytes("echo hi\n"));

        Assert.True(ScriptHash.Matches(Encoding.UTF8.GetBytes("echo hi\n"), hash));
        Assert.False(ScriptHash.Matches(Encoding.UTF8.GetBytes("echo hi \n"), hash));
        Assert.False(ScriptHash.Matches(Encoding.UTF8.GetBytes("echo hi\n"), hash.ToUpperInvariant()), "hashes are lowercase hex");
    }

    [Fact]
    public void Should_refuse_a_script_run_without_a_well_formed_hash_or_with_an_escaping_path()
    {
        var errors = JobDefinitionValidator.Validate(new JobDefinition { Id = "x", Run = new RunSpec { Script = new ScriptRunSpec { Path = "../x.sh", Sha256 = "abc" } } });

        Assert.Contains(errors, e => e.Field == "run.script.path");
        Assert.Contains(errors, e => e.Field == "run.script.sha256");
    }
}
