using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>Real processes through bash: exit codes, argv, environment, working directory, start failures.</summary>
public sealed class ShellRunnerSpecs
{
    private readonly ShellRunner runner = new(ShellPolicy.AllowAny);

    private Task<RunResult> Run(RunRequest request) => runner.RunAsync(request, NullRunObserver.Instance, CancellationToken.None).Within();

    [Fact]
    public async Task Should_succeed_with_its_output_when_the_command_exits_0()
    {
        var result = await Run(Runs.Bash("echo hello"));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello\n", result.Output);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task Should_fail_naming_the_code_when_the_command_exits_non_zero()
    {
        var result = await Run(Runs.Bash("echo partial; exit 3"));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("exited with code 3", result.Error);
        Assert.Equal("partial\n", result.Output);
    }

    [Fact]
    public async Task Should_pass_arguments_verbatim_when_they_hold_shell_syntax()
    {
        var result = await Run(Runs.Shell("bash", "-c", "printf '<%s>\\n' \"$@\"", "argv0", "$(echo injected)", "a b", "*", ";"));

        Assert.Equal(["<$(echo injected)>", "<a b>", "<*>", "<;>"], result.Lines());
    }

    [Fact]
    public async Task Should_give_the_run_identity_and_data_when_the_process_starts()
    {
        var spec = new ShellRunSpec
        {
            Command = ["bash", "-c", "for v in A SCHEDULER_JOB_ID SCHEDULER_RUN_ID SCHEDULER_ATTEMPT SCHEDULER_SCHEDULED_FOR SCHEDULER_FENCING_TOKEN SCHEDULER_DATA; do echo \"$v=${!v}\"; done"],
            Env = new Dictionary<string, string> { ["A"] = "1" },
        };
        var request = Runs.Request(new RunSpec { Shell = spec }, data: Runs.Json("""{"customer": 1234}"""));

        var result = await Run(request);

        Assert.Equal(
            ["A=1", "SCHEDULER_JOB_ID=nightly-billing", "SCHEDULER_RUN_ID=nightly-billing~7", "SCHEDULER_ATTEMPT=2",
             "SCHEDULER_SCHEDULED_FOR=2026-03-01T02:30:00Z", "SCHEDULER_FENCING_TOKEN=41", "SCHEDULER_DATA={\"customer\": 1234}"],
            result.Lines());
    }

    [Fact]
    public async Task Should_give_null_data_when_the_run_has_none()
    {
        var result = await Run(Runs.Bash("echo \"$SCHEDULER_DATA\""));

        Assert.Equal("null\n", result.Output);
    }

    [Fact]
    public async Task Should_give_the_previous_runs_result_when_the_job_has_one()
    {
        var request = Runs.Bash("printf '%s' \"$SCHEDULER_LAST_RESULT\"") with { LastResult = "{\"rows\":42}" };

        var result = await Run(request);

        Assert.Equal("{\"rows\":42}", result.Output);
    }

    [Fact]
    public async Task Should_run_in_the_working_directory_when_one_is_given()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.Combine("marker.txt"), "here");

        var result = await Run(Runs.ShellIn(directory.Path, "bash", "-c", "cat marker.txt"));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("here", result.Output);
    }

    [Fact]
    public async Task Should_fail_before_starting_when_the_working_directory_does_not_exist()
    {
        var result = await Run(Runs.ShellIn("/no/such/directory", "bash", "-c", "true"));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal("working directory '/no/such/directory' does not exist on this worker", result.Error);
    }

    [Fact]
    public async Task Should_fail_with_a_plain_error_when_the_program_is_not_on_the_path()
    {
        var result = await Run(Runs.Shell("no-such-program-4711", "x"));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Equal("program 'no-such-program-4711' was not found on this worker's PATH", result.Error);
    }

    [Fact]
    public async Task Should_fail_with_a_plain_error_when_the_program_path_does_not_exist()
    {
        var result = await Run(Runs.Shell("/no/such/program"));

        Assert.Equal("program '/no/such/program' was not found (/no/such/program)", result.Error);
    }

    [Fact]
    public async Task Should_fail_with_the_reason_when_the_program_is_not_executable()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("not-executable.sh");
        File.WriteAllText(file, "echo hi\n");

        var result = await Run(Runs.Shell(file));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal($"program '{file}' ({file}) is not executable: set its execute permission", result.Error);
    }

    [Fact]
    public async Task Should_end_a_pipeline_quietly_when_its_reader_stops_early()
    {
        // As under cron: the writer dies of SIGPIPE (141) instead of reporting write errors.
        var result = await Run(Runs.Bash("yes | head -c 5 >/dev/null; echo \"writer=${PIPESTATUS[0]}\""));

        Assert.True(runner.RestoresSigpipe, "this worker's env should support --default-signal (coreutils 8.31+)");
        Assert.Equal("writer=141\n", result.Output);
    }

    [Fact]
    public async Task Should_fail_when_the_command_is_empty()
    {
        var result = await Run(Runs.Request(new RunSpec { Shell = new ShellRunSpec { Command = [] } }));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Contains("run.shell.command is empty", result.Error);
    }

    [Fact]
    public async Task Should_give_end_of_input_when_the_process_reads_stdin()
    {
        var result = await Run(Runs.Bash("cat; echo after-stdin"));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("after-stdin\n", result.Output);
    }
}
