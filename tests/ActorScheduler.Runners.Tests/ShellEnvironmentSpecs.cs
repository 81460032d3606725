using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>
/// A job's process starts from a minimal environment, not the worker's own (which holds its secrets), and a job
/// cannot set the variables that make a program run other code than the one the worker's policy approved.
/// </summary>
public sealed class ShellEnvironmentSpecs : IDisposable
{
    // Unique to this class: the specs that put them in the worker's (this test process's) environment run in no
    // other class, and the names mean nothing to anything else here.
    private const string GatewayToken = "ACTORSCHEDULER__Gateway__Token";
    private const string PassedName = "ACTORSCHEDULER_SPEC_PASSED";

    private readonly TempDirectory root = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(GatewayToken, null);
        Environment.SetEnvironmentVariable(PassedName, null);
        root.Dispose();
    }

    private static Task<RunResult> Run(ShellRunner runner, RunRequest request) =>
        runner.RunAsync(request, NullRunObserver.Instance, CancellationToken.None).Within();

    private static RunRequest WithEnv(string[] command, Dictionary<string, string> env) =>
        Runs.Request(new RunSpec { Shell = new ShellRunSpec { Command = command, Env = env } });

    [Fact]
    public async Task Should_keep_the_worker_secrets_out_when_the_worker_environment_holds_them()
    {
        Environment.SetEnvironmentVariable(GatewayToken, "gateway-secret");

        var result = await Run(new ShellRunner(ShellPolicy.AllowAny), Runs.Bash($"echo \"token=${{{GatewayToken}-absent}}\""));

        Assert.Equal("token=absent\n", result.Output);
    }

    [Fact]
    public async Task Should_start_with_only_the_basic_names_the_job_env_and_the_run_identity_when_nothing_is_passed_through()
    {
        var inherited = JobEnvironment.Inherited
            .Where(name => Environment.GetEnvironmentVariable(name) is not null)
            .ToDictionary(name => name, name => Environment.GetEnvironmentVariable(name)!);

        var result = await Run(new ShellRunner(ShellPolicy.AllowAny), WithEnv(["env"], new() { ["A"] = "1" }));

        var received = result.Lines().Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var expected = new Dictionary<string, string>(inherited)
        {
            ["A"] = "1",
            ["SCHEDULER_JOB_ID"] = "nightly-billing",
            ["SCHEDULER_RUN_ID"] = "nightly-billing~7",
            ["SCHEDULER_ATTEMPT"] = "2",
            ["SCHEDULER_SCHEDULED_FOR"] = "2026-03-01T02:30:00Z",
            ["SCHEDULER_FENCING_TOKEN"] = "41",
            ["SCHEDULER_CHAIN_DEPTH"] = "0",
            ["SCHEDULER_DATA"] = "null",
            ["SCHEDULER_LAST_RESULT"] = "",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), received.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Should_pass_a_worker_variable_through_when_the_worker_configuration_names_it()
    {
        Environment.SetEnvironmentVariable(PassedName, "from-the-worker");
        Environment.SetEnvironmentVariable(GatewayToken, "gateway-secret");
        var runner = new ShellRunner(ShellPolicy.AllowAny, new ShellRunnerOptions { PassEnvironment = [PassedName, "ACTORSCHEDULER_SPEC_UNSET"] });

        var result = await Run(runner, Runs.Bash(
            $"echo \"${PassedName} ${{ACTORSCHEDULER_SPEC_UNSET-unset}} ${{{GatewayToken}-absent}}\""));

        Assert.Equal("from-the-worker unset absent\n", result.Output);
    }

    [Fact]
    public async Task Should_let_the_job_env_win_when_it_sets_a_name_the_worker_passes_on()
    {
        var result = await Run(new ShellRunner(ShellPolicy.AllowAny),
            WithEnv(["bash", "-c", "echo \"$LANG $TZ\""], new() { ["LANG"] = "C.UTF-8", ["TZ"] = "Europe/Amsterdam" }));

        Assert.Equal("C.UTF-8 Europe/Amsterdam\n", result.Output);
    }

    [Fact]
    public async Task Should_unset_a_name_the_worker_passes_on_when_the_job_env_gives_it_null()
    {
        var result = await Run(new ShellRunner(ShellPolicy.AllowAny),
            WithEnv(["bash", "-c", "echo \"${HOME-unset}\""], new() { ["HOME"] = null! }));

        Assert.Equal("unset\n", result.Output);
    }

    /// <summary>
    /// The reproductions: a worker allows only its scripts directory, and the job's env alone got other code run
    /// (BASH_FUNC_ and BASH_ENV ran `id`; SHELLOPTS+PS4 does too when the worker is not root, since bash ignores an
    /// inherited PS4 as root; LD_PRELOAD loads any library, here a missing one so no compiler is needed).
    /// </summary>
    [Theory]
    [InlineData("BASH_FUNC_echo%%", "() { id > PWNED; }", null, null)]
    [InlineData("BASH_FUNC_echo()", "() { id > PWNED; }", null, null)]
    [InlineData("BASH_ENV", "$(id > PWNED)", null, null)]
    [InlineData("PS4", "$(id > PWNED)", "SHELLOPTS", "xtrace")]
    [InlineData("LD_PRELOAD", "PWNED.so", null, null)]
    public async Task Should_fail_naming_the_variable_without_starting_when_the_job_env_would_run_other_code(
        string name, string value, string? secondName, string? secondValue)
    {
        var script = root.Script("scripts/job.sh", "echo job");
        var pwned = root.Combine("pwned");
        var env = new Dictionary<string, string> { [name] = value.Replace("PWNED", pwned) };
        if (secondName is not null) env[secondName] = secondValue!;
        var runner = new ShellRunner(new ShellPolicy { ScriptDirectories = [root.Combine("scripts")] });

        var result = await Run(runner, WithEnv([script], env));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.StartsWith($"run.shell.env.{name}: may not be set by a job: ", result.Error);
        if (secondName is not null) Assert.Contains($"run.shell.env.{secondName}: may not be set by a job: ", result.Error);
        Assert.False(TempDirectory.Ran(script), "a run with a refused env must never start");
        Assert.False(File.Exists(pwned), $"the job's env ran code: {(File.Exists(pwned) ? File.ReadAllText(pwned) : "")}");
    }

    /// <summary>
    /// The review's reproduction: a worker that allows only tar, and TAR_OPTIONS makes tar run a command at its first
    /// checkpoint. Refused by the pattern the name follows (options read from the environment).
    /// </summary>
    [Fact]
    public async Task Should_fail_without_starting_when_the_job_env_passes_options_that_make_an_allowed_program_run_a_command()
    {
        var pwned = root.Combine("pwned");
        File.WriteAllText(root.Combine("file"), "x");
        var runner = new ShellRunner(new ShellPolicy { AllowedCommands = ["tar"] });
        var request = Runs.Request(new RunSpec { Shell = new ShellRunSpec
        {
            Command = ["tar", "cf", root.Combine("out.tar"), "-C", root.Path, "file"],
            Env = new Dictionary<string, string> { ["TAR_OPTIONS"] = $"--checkpoint=1 --checkpoint-action=exec=touch\\ {pwned}" },
        } });

        var result = await Run(runner, request);

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.StartsWith("run.shell.env.TAR_OPTIONS: may not be set by a job: ", result.Error);
        Assert.False(File.Exists(pwned), "TAR_OPTIONS made tar run a command");
    }

    [Fact]
    public async Task Should_keep_path_and_home_for_a_worker_that_limits_what_runs_but_let_them_be_set_where_anything_may_run()
    {
        // A script the worker allows starts "bash" through env: a PATH of the job's choosing would pick another one.
        var script = root.Script("scripts/job.sh", "echo job");
        File.WriteAllText(script, "#!/usr/bin/env bash\necho job\n");
        var fake = root.Script("fake/bash", $"touch {root.Combine("pwned")}");
        var limiting = new ShellRunner(new ShellPolicy { ScriptDirectories = [root.Combine("scripts")] });
        var env = new Dictionary<string, string> { ["PATH"] = $"{Path.GetDirectoryName(fake)}:/usr/bin:/bin", ["HOME"] = root.Path };

        var refused = await Run(limiting, WithEnv([script], env));
        var open = await Run(new ShellRunner(ShellPolicy.AllowAny), WithEnv(["bash", "-c", "echo \"$HOME\""], new() { ["HOME"] = root.Path }));

        Assert.Equal(RunStatus.Failed, refused.Outcome);
        Assert.Contains("run.shell.env.HOME: may not be set on this worker", refused.Error);
        Assert.Contains("run.shell.env.PATH: may not be set on this worker", refused.Error);
        Assert.False(File.Exists(root.Combine("pwned")), "the job's PATH chose the interpreter of an approved script");
        Assert.Equal(root.Path + "\n", open.Output);
    }

    [Fact]
    public async Task Should_fail_without_starting_when_the_job_env_forges_the_fencing_token()
    {
        var script = root.Script("job.sh");

        var result = await Run(new ShellRunner(ShellPolicy.AllowAny), WithEnv([script], new() { ["SCHEDULER_FENCING_TOKEN"] = "999" }));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.StartsWith("run.shell.env.SCHEDULER_FENCING_TOKEN: may not be set by a job: ", result.Error);
        Assert.False(TempDirectory.Ran(script));
    }

    [Theory]
    [InlineData("A=B", "1")]
    [InlineData("", "1")]
    [InlineData("A\0B", "1")]
    [InlineData("A", "1\0LD_PRELOAD=/tmp/x.so")]
    public async Task Should_fail_without_starting_when_a_name_or_value_cannot_be_passed(string name, string value)
    {
        var script = root.Script("job.sh");

        var result = await Run(new ShellRunner(ShellPolicy.AllowAny), WithEnv([script], new() { [name] = value }));

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.StartsWith("run.shell.env", result.Error);
        Assert.False(TempDirectory.Ran(script));
    }

    [Fact]
    public void Should_refuse_to_start_the_runner_when_a_pass_through_name_is_invalid()
    {
        var options = new ShellRunnerOptions { PassEnvironment = ["A=B", "SCHEDULER_FENCING_TOKEN"] };

        var error = Assert.Throws<ArgumentException>(() => new ShellRunner(ShellPolicy.AllowAny, options));

        Assert.Contains("PassEnvironment entry 'A=B' is not a valid variable name.", error.Message);
        Assert.Contains("PassEnvironment entry 'SCHEDULER_FENCING_TOKEN' is a name the worker sets for each run.", error.Message);
    }
}
