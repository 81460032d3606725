using System.Text.RegularExpressions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>Timeout and cancel end a shell run by killing its whole process tree.</summary>
public sealed partial class ShellAbortSpecs
{
    // bash starts a background child and reports its pid, then waits on a second child of its own.
    private const string TreeScript = "sleep 1000 & echo child=$!; echo '>>> scheduler.progress(1)' >&2; sleep 1000";

    private readonly ShellRunner runner = new(ShellPolicy.AllowAny);

    [Fact]
    public async Task Should_time_out_and_kill_the_process_tree_when_the_timeout_passes()
    {
        var result = await runner.RunAsync(Runs.Bash(TreeScript, timeout: TimeSpan.FromSeconds(2)), NullRunObserver.Instance, CancellationToken.None)
            .Within();

        Assert.Equal(RunStatus.TimedOut, result.Outcome);
        Assert.Equal("timed out after 2 s", result.Error);
        Assert.True(await Processes.IsGoneAsync(ChildPid(result)), "the background sleep must die with its parent");
    }

    [Fact]
    public async Task Should_cancel_and_kill_the_process_tree_when_the_caller_cancels()
    {
        using var cancel = new CancellationTokenSource();
        // Cancel the moment the script reports, so the children are certainly running when the kill comes.
        var observer = new RecordingObserver { OnProgress = cancel.Cancel };

        var result = await runner.RunAsync(Runs.Bash(TreeScript), observer, cancel.Token).Within();

        Assert.Equal(RunStatus.Canceled, result.Outcome);
        Assert.Equal("canceled", result.Error);
        Assert.True(await Processes.IsGoneAsync(ChildPid(result)), "the background sleep must die with its parent");
    }

    [Fact]
    public async Task Should_cancel_without_starting_when_canceled_before_the_run()
    {
        using var directory = new TempDirectory();
        var script = directory.Script("never.sh");

        var result = await runner.RunAsync(Runs.Shell(script), NullRunObserver.Instance, new CancellationToken(canceled: true)).Within();

        Assert.Equal(RunStatus.Canceled, result.Outcome);
        Assert.False(TempDirectory.Ran(script));
    }

    [Fact]
    public async Task Should_keep_the_output_written_before_the_kill_when_timed_out()
    {
        var result = await runner.RunAsync(Runs.Bash("echo before-the-kill; sleep 1000", TimeSpan.FromSeconds(1)),
            NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal(RunStatus.TimedOut, result.Outcome);
        Assert.Equal("before-the-kill\n", result.Output);
    }

    [Fact]
    public async Task Should_end_the_run_when_a_detached_child_keeps_the_output_open()
    {
        // setsid takes the child out of the process tree, so only the drain limit ends the reading.
        var options = new ShellRunnerOptions { OutputDrainTimeout = TimeSpan.FromSeconds(1) };
        var detached = new ShellRunner(ShellPolicy.AllowAny, options);

        var result = await detached.RunAsync(Runs.Bash("setsid sleep 1000 & echo child=$!; echo parent-done"),
            NullRunObserver.Instance, CancellationToken.None).Within();

        using var child = System.Diagnostics.Process.GetProcessById(ChildPid(result));
        try
        {
            Assert.Equal(RunStatus.Succeeded, result.Outcome);
            Assert.Contains("parent-done", result.Output);
            Assert.Contains("stopped reading", result.Output);
        }
        finally
        {
            child.Kill();
        }
    }

    private static int ChildPid(RunResult result)
    {
        var match = ChildLine().Match(result.Output);
        Assert.True(match.Success, $"bash should have reported its child before the kill; output was: {result.Output}");
        return int.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"child=(\d+)")]
    private static partial Regex ChildLine();
}
