using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>Workers only start what their shell policy allows; a refused command never starts.</summary>
public sealed class ShellPolicySpecs : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    private static Task<RunResult> Run(ShellPolicy policy, RunRequest request) =>
        new ShellRunner(policy).RunAsync(request, NullRunObserver.Instance, CancellationToken.None).Within();

    [Fact]
    public async Task Should_refuse_without_starting_when_nothing_is_configured()
    {
        var script = root.Script("job.sh");

        var result = await Run(new ShellPolicy(), Runs.Shell(script));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal($"shell command '{script}' ({script}) is not allowed on this worker: add it to the worker's " +
            "actor-scheduler.worker.shell.allowed-commands, place it under one of its script-directories, or set " +
            "allow-any-command (environment: ACTORSCHEDULER__Worker__Shell__AllowedCommands)", result.Error);
        Assert.False(TempDirectory.Ran(script), "a refused command must never start");
    }

    [Fact]
    public async Task Should_run_when_the_program_name_is_allowed()
    {
        var result = await Run(new ShellPolicy { AllowedCommands = ["bash"] }, Runs.Bash("echo allowed"));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task Should_refuse_naming_the_program_when_another_program_is_allowed()
    {
        var result = await Run(new ShellPolicy { AllowedCommands = ["bash"] }, Runs.Shell("sh", "-c", "true"));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.StartsWith("shell command 'sh' (", result.Error);
        Assert.Contains("actor-scheduler.worker.shell.allowed-commands", result.Error);
    }

    [Fact]
    public async Task Should_refuse_when_a_file_elsewhere_shares_the_allowed_name()
    {
        var impostor = root.Script("bin/bash");

        var result = await Run(new ShellPolicy { AllowedCommands = ["bash"] }, Runs.Shell(impostor));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.False(TempDirectory.Ran(impostor));
    }

    [Fact]
    public async Task Should_run_when_the_program_is_allowed_by_absolute_path()
    {
        var tool = root.Script("tools/report.sh");

        var result = await Run(new ShellPolicy { AllowedCommands = [tool] }, Runs.Shell(tool));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.True(TempDirectory.Ran(tool));
    }

    [Fact]
    public async Task Should_run_when_the_script_is_under_a_scripts_directory()
    {
        var script = root.Script("scripts/nested/job.sh");
        var policy = new ShellPolicy { ScriptDirectories = [root.Combine("scripts")] };

        var absolute = await Run(policy, Runs.Shell(script));
        var relative = await Run(policy, Runs.ShellIn(root.Combine("scripts"), "./nested/job.sh"));

        Assert.Equal(RunStatus.Succeeded, absolute.Outcome);
        Assert.Equal(RunStatus.Succeeded, relative.Outcome);
    }

    [Theory]
    [InlineData("scripts/../outside.sh")]
    [InlineData("scripts/nested/../../outside.sh")]
    [InlineData("scripts-evil/outside.sh")]
    public async Task Should_refuse_when_the_path_escapes_the_scripts_directory(string escape)
    {
        var outside = root.Script(escape.Contains("evil") ? "scripts-evil/outside.sh" : "outside.sh");
        root.Script("scripts/nested/inside.sh");
        var policy = new ShellPolicy { ScriptDirectories = [root.Combine("scripts")] };

        var result = await Run(policy, Runs.Shell(root.Path + "/" + escape));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Contains($"({outside})", result.Error);
        Assert.False(TempDirectory.Ran(outside), "the resolved path lies outside the scripts directory");
    }

    [Fact]
    public async Task Should_refuse_when_a_relative_path_climbs_out_of_the_scripts_directory()
    {
        var outside = root.Script("outside.sh");
        var policy = new ShellPolicy { ScriptDirectories = [root.Combine("scripts")] };
        Directory.CreateDirectory(root.Combine("scripts"));

        var result = await Run(policy, Runs.ShellIn(root.Combine("scripts"), "../outside.sh"));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.False(TempDirectory.Ran(outside));
    }

    [Fact]
    public async Task Should_run_anything_when_any_command_is_allowed()
    {
        var script = root.Script("anywhere/job.sh");

        var result = await Run(ShellPolicy.AllowAny, Runs.Shell(script));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
    }

    [Fact]
    public void Should_refuse_to_start_the_runner_when_the_policy_is_misconfigured()
    {
        var policy = new ShellPolicy { AllowedCommands = ["bin/tool", " "], ScriptDirectories = ["relative/scripts"] };

        var error = Assert.Throws<ArgumentException>(() => new ShellRunner(policy));

        Assert.Contains("'bin/tool' must be a program name or an absolute path", error.Message);
        Assert.Contains("AllowedCommands holds an empty entry", error.Message);
        Assert.Contains("'relative/scripts' must be an absolute directory", error.Message);
    }

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void Should_describe_itself_in_one_line_when_asked_for_the_start_up_log(ShellPolicy policy, string line) =>
        Assert.Equal(line, policy.Describe());

    public static TheoryData<ShellPolicy, string> Descriptions() => new()
    {
        { ShellPolicy.AllowAny, "shell: any command allowed" },
        { new ShellPolicy(), "shell: no command allowed (configure AllowedCommands, ScriptDirectories or AllowAnyCommand)" },
        { new ShellPolicy { AllowedCommands = ["bash", "/usr/bin/python3"] }, "shell: commands bash, /usr/bin/python3" },
        {
            new ShellPolicy { AllowedCommands = ["bash"], ScriptDirectories = ["/opt/jobs", "/srv/etl"] },
            "shell: commands bash; scripts under /opt/jobs, /srv/etl"
        },
    };
}
