using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>The stderr protocol: <c>&gt;&gt;&gt; scheduler.progress(…)</c> and <c>&gt;&gt;&gt; scheduler.emit(…)</c>.</summary>
public sealed class ShellProtocolSpecs
{
    private readonly ShellRunner runner = new(ShellPolicy.AllowAny);

    private Task<RunResult> Run(string script, IRunObserver observer) =>
        runner.RunAsync(Runs.Bash(script), observer, CancellationToken.None).Within();

    [Fact]
    public async Task Should_report_progress_and_events_instead_of_output_when_a_script_writes_protocol_lines()
    {
        var observer = new RecordingObserver();
        var script = """
            echo working
            echo '>>> scheduler.progress(5, 10)' >&2
            echo '>>> scheduler.progress(6)' >&2
            echo '>>> scheduler.emit("foo-event", {"json": "data", "n": [1, 2]})' >&2
            echo '>>> scheduler.emit("bare-event")' >&2
            echo done
            """;

        var result = await Run(script, observer);

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("working\ndone\n", result.Output);
        Assert.Equal([(5L, (long?)10L), (6L, null)], observer.Progressed);
        Assert.Equal([("foo-event", """{"json": "data", "n": [1, 2]}"""), ("bare-event", (string?)null)], observer.Emitted);
    }

    [Fact]
    public async Task Should_accept_any_json_value_and_loose_whitespace_when_emitting()
    {
        var observer = new RecordingObserver();
        var script = """
            echo '  >>>   scheduler.emit(  "n" ,  42  )  ' >&2
            echo '>>> scheduler.emit("s", "text with ) and , inside")' >&2
            echo '>>> scheduler.emit("a",[true,null])' >&2
            printf '>>> scheduler.progress( 1 ,2 )\r\n' >&2
            """;

        var result = await Run(script, observer);

        Assert.Equal("", result.Output);
        Assert.Equal([("n", "42"), ("s", "\"text with ) and , inside\""), ("a", "[true,null]")], observer.Emitted);
        Assert.Equal([(1L, (long?)2L)], observer.Progressed);
    }

    [Fact]
    public async Task Should_keep_malformed_protocol_lines_as_output_when_they_do_not_parse()
    {
        var observer = new RecordingObserver();
        string[] malformed =
        [
            ">>> scheduler.progress(five)",
            ">>> scheduler.progress(-1)",
            ">>> scheduler.progress(1, 2, 3)",
            ">>> scheduler.progress(1.5)",
            ">>> scheduler.emit(unquoted)",
            ">>> scheduler.emit(\"\")",
            ">>> scheduler.emit(\"e\", {broken)",
            ">>> scheduler.launch(\"x\")",
            ">>> scheduler.emit(\"e\") trailing",
        ];
        var script = string.Join("\n", malformed.Select(line => $"echo '{line}' >&2"));

        var result = await Run(script, observer);

        Assert.Equal(malformed, result.Lines());
        Assert.Empty(observer.Progressed);
        Assert.Empty(observer.Emitted);
    }

    [Fact]
    public async Task Should_keep_protocol_lines_as_output_when_written_to_stdout()
    {
        var observer = new RecordingObserver();

        var result = await Run("echo '>>> scheduler.progress(1, 2)'", observer);

        Assert.Equal(">>> scheduler.progress(1, 2)\n", result.Output);
        Assert.Empty(observer.Progressed);
    }

    [Fact]
    public async Task Should_keep_draining_and_note_the_failure_when_the_observer_throws()
    {
        var observer = new RecordingObserver { OnProgress = () => throw new InvalidOperationException("observer broke") };
        var roomy = new ShellRunner(ShellPolicy.AllowAny, new ShellRunnerOptions { OutputLimitBytes = 1024 * 1024 });
        // More stderr than a pipe buffer holds after the failure: the run only ends if reading went on.
        var script = "echo '>>> scheduler.progress(1)' >&2; head -c 300000 /dev/zero | tr '\\0' 'e' >&2; echo >&2; echo end >&2";

        var result = await roomy.RunAsync(Runs.Bash(script), observer, CancellationToken.None).Within();

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Contains("observer broke", result.Output);
        Assert.EndsWith("end\n", result.Output);
    }

    [Theory]
    [InlineData(">>> scheduler.progress(0)", 0L, null)]
    [InlineData(">>> scheduler.progress(3,3)", 3L, 3L)]
    [InlineData("\t>>>scheduler.progress(\t7 , 9\t)\n", 7L, 9L)]
    public void Should_parse_progress_when_the_line_is_well_formed(string line, long current, long? max) =>
        Assert.Equal(new ProgressMessage(current, max), StderrProtocol.Parse(line));

    [Theory]
    [InlineData(">>> scheduler.progress()")]
    [InlineData(">>> scheduler.progress(1,)")]
    [InlineData(">>> scheduler.progress(99999999999999999999)")]
    [InlineData(">> scheduler.progress(1)")]
    [InlineData(">>> Scheduler.progress(1)")]
    [InlineData(">>> scheduler.emit()")]
    [InlineData(">>> scheduler.emit(\"e\", 1, 2)")]
    [InlineData(">>> scheduler.emit(1)")]
    [InlineData(">>> scheduler.emit(\"e\", /* comment */ 1)")]
    public void Should_not_parse_when_the_line_is_malformed(string line) =>
        Assert.Null(StderrProtocol.Parse(line));
}
