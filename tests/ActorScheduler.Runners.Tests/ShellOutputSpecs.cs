using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>Bounded, interleaved capture of stdout and stderr, without deadlock on large output.</summary>
public sealed class ShellOutputSpecs
{
    private static Task<RunResult> Run(string script, ShellRunnerOptions? options = null, IRunObserver? observer = null) =>
        new ShellRunner(ShellPolicy.AllowAny, options)
            .RunAsync(Runs.Bash(script), observer ?? NullRunObserver.Instance, CancellationToken.None).Within();

    [Fact]
    public async Task Should_interleave_stdout_and_stderr_in_arrival_order_when_both_are_written()
    {
        // The pauses only let each line arrive before the next is written; nothing is asserted about time.
        var result = await Run("echo out-1; sleep 1; echo err-1 >&2; sleep 1; echo out-2");

        Assert.Equal(["out-1", "err-1", "out-2"], result.Lines());
    }

    [Fact]
    public async Task Should_keep_the_last_bytes_with_a_marker_when_the_output_exceeds_the_limit()
    {
        const int written = 5 * 1024 * 1024;

        var result = await Run($"yes 0123456789abcdef | head -c {written}; echo END-OF-RUN");

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        var totalBytes = written + "END-OF-RUN\n".Length;
        var marker = $"[… {totalBytes - 64 * 1024} bytes omitted]\n";
        Assert.StartsWith(marker, result.Output);
        Assert.Equal(64 * 1024, result.Output.Length - marker.Length);
        // head cuts the last 17-byte line short: 5 MiB is not a multiple of 17.
        Assert.EndsWith("\n0123456789abcdef\n0123456789abEND-OF-RUN\n", result.Output);
    }

    [Fact]
    public async Task Should_honour_a_smaller_limit_when_one_is_configured()
    {
        var written = string.Concat(Enumerable.Range(1, 1000).Select(i => $"{i}\n")).Length;

        var result = await Run("seq 1 1000", new ShellRunnerOptions { OutputLimitBytes = 10 });

        Assert.Equal($"[… {written - 10} bytes omitted]\n\n999\n1000\n", result.Output);
    }

    [Fact]
    public async Task Should_finish_when_both_streams_carry_megabytes_at_once()
    {
        var result = await Run("yes out | head -c 3000000 & yes err | head -c 3000000 >&2 & wait; echo finished");

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        // Every byte was read; which pipe's last lines come last depends on which reader was behind, so no order.
        Assert.StartsWith($"[… {3_000_000 + 3_000_000 + "finished\n".Length - 64 * 1024} bytes omitted]\n", result.Output);
    }

    [Fact]
    public async Task Should_keep_a_long_stderr_line_as_output_when_it_exceeds_the_line_limit()
    {
        var observer = new RecordingObserver();

        var result = await Run("printf '>>> scheduler.emit(\"e\", \"%s\")\\n' \"$(head -c 100000 /dev/zero | tr '\\0' x)\" >&2",
            observer: observer);

        Assert.EndsWith("xxx\")\n", result.Output);
        Assert.Empty(observer.Emitted);
    }
}
