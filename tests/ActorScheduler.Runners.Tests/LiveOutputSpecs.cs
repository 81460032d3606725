using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Handlers;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>
/// Output reported while a run goes on (<see cref="IRunObserver.Output"/>): a shell run's lines as they are read, its
/// protocol lines not, the pieces adding up to the kept output; a handler's lines as it reports them.
/// </summary>
public sealed class LiveOutputSpecs
{
    private static Task<RunResult> Start(RunRequest request, IRunObserver observer, ShellRunnerOptions? options = null) =>
        new ShellRunner(ShellPolicy.AllowAny, options).RunAsync(request, observer, CancellationToken.None);

    /// <summary>A script that prints, then waits until the spec creates <paramref name="go"/>, then prints again.</summary>
    private static RunRequest PrintWaitPrint(string go) =>
        Runs.Shell("bash", "-c", """echo first; echo second >&2; while [ ! -e "$1" ]; do sleep 0.05; done; echo third""", "waiter", go);

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Runs.TestBound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {Runs.TestBound.TotalSeconds:0} s for {what}; it never happened.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Should_report_each_line_while_the_process_still_runs_when_it_prints_before_it_waits()
    {
        using var directory = new TempDirectory();
        var go = directory.Combine("go");
        var observer = new RecordingObserver();

        var run = Start(PrintWaitPrint(go), observer);
        await Eventually(() => observer.Outputs.Count >= 2, "the two lines printed before the script waits");

        Assert.False(run.IsCompleted, "the script waits for the go file, which does not exist yet");
        // stdout and stderr are two pipes: which of the first two lines is read first is not fixed.
        Assert.Equal(["first\n", "second\n"], observer.Outputs.Order(StringComparer.Ordinal));
        File.WriteAllText(go, "");
        var result = await run.Within();
        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("third\n", observer.Outputs.Last());
        Assert.Equal(result.Output, string.Concat(observer.Outputs));
    }

    [Fact]
    public async Task Should_report_stderr_lines_but_not_protocol_lines_when_a_script_reports_progress_and_events()
    {
        var observer = new RecordingObserver();

        var result = await Start(Runs.Bash("""
            echo '>>> scheduler.progress(1, 2)' >&2
            echo '>>> scheduler.emit("half-done")' >&2
            echo '>>> scheduler.progress(oops)' >&2
            echo plain
            """), observer).Within();

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal([">>> scheduler.progress(oops)\n", "plain\n"], observer.Outputs.Order(StringComparer.Ordinal));
        Assert.Equal([(1L, (long?)2L)], observer.Progressed);
        Assert.Equal("half-done", Assert.Single(observer.Emitted).Name);
    }

    [Fact]
    public async Task Should_report_the_pieces_of_the_whole_output_when_it_exceeds_the_kept_tail()
    {
        var observer = new RecordingObserver();

        var result = await Start(Runs.Bash("seq 1 20000"), observer, new ShellRunnerOptions { OutputLimitBytes = 100 }).Within();

        Assert.Equal(20_000, observer.Outputs.Count);
        Assert.Equal(string.Concat(Enumerable.Range(1, 20_000).Select(i => $"{i}\n")), string.Concat(observer.Outputs));
        Assert.EndsWith("\n19999\n20000\n", result.Output);
    }

    [Fact]
    public async Task Should_report_a_character_whole_when_the_line_limit_cuts_a_long_line_inside_it()
    {
        var observer = new RecordingObserver();

        // 'a' then 40,000 two-byte 'é': the line limit (64 KiB) falls between the two bytes of one 'é'.
        var result = await Start(Runs.Bash("printf a; yes é | head -n 40000 | tr -d '\\n'; echo"), observer,
            new ShellRunnerOptions { OutputLimitBytes = 1024 * 1024 }).Within();

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal(2, observer.Outputs.Count);
        Assert.Equal("a" + new string('é', 40_000) + "\n", string.Concat(observer.Outputs));
    }

    [Fact]
    public async Task Should_finish_the_run_and_say_once_that_live_output_stopped_when_the_observer_fails_on_output()
    {
        var observer = new RecordingObserver { FailOutput = new InvalidOperationException("reader gone") };

        var result = await Start(Runs.Bash("echo one; echo two; echo three"), observer).Within();

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal(["one", "[run observer failed on output: reader gone; the rest is not reported while the run goes on]", "two", "three"],
            result.Lines());
    }

    [Fact]
    public async Task Should_pass_a_handlers_output_on_while_it_runs_when_it_reports_a_line()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler("steps", async (context, _) =>
        {
            context.Output("step 1\n");
            await release.Task;
            return HandlerOutcome.Success("done");
        });
        var observer = new RecordingObserver();

        var run = new HandlerRunner(new HandlerRegistry([handler])).RunAsync(Runs.Handler("steps"), observer, CancellationToken.None);
        await Eventually(() => !observer.Outputs.IsEmpty, "the handler's first line");

        Assert.False(run.IsCompleted, "the handler waits for the spec");
        release.SetResult();
        Assert.Equal(RunResult.Succeeded("done"), await run.Within());
        Assert.Equal(["step 1\n"], observer.Outputs);
    }
}
