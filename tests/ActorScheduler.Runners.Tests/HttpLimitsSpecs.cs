using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Http;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>An HTTP run ends even when the job sets no timeout, and reads a bounded part of any answer.</summary>
public sealed class HttpLimitsSpecs
{
    private static readonly HttpDestinationPolicy Loopback = new() { AllowLoopback = true };

    private static async Task<RunResult> Run(HttpRunnerOptions options, string url)
    {
        using var runner = new HttpRunner(Loopback, options);
        return await runner.RunAsync(Runs.Request(new RunSpec { Http = new HttpRunSpec { Url = url } }), NullRunObserver.Instance,
            CancellationToken.None).Within();
    }

    [Fact]
    public async Task Should_time_out_after_the_worker_default_when_the_job_sets_no_timeout()
    {
        await using var server = LoopbackServer.Start((_, stopping) => Task.Delay(Timeout.Infinite, stopping));

        var result = await Run(new HttpRunnerOptions { DefaultTimeout = TimeSpan.FromSeconds(1) }, server.Url.ToString());

        Assert.Equal(RunStatus.TimedOut, result.Outcome);
        Assert.Equal("timed out after 1 s (the worker's limit for HTTP runs whose job sets no timeout: " +
            "actor-scheduler.worker.http.default-timeout)", result.Error);
    }

    [Fact]
    public async Task Should_stop_reading_and_say_so_when_the_body_never_ends()
    {
        await using var server = LoopbackServer.Start(async (context, stopping) =>
        {
            var chunk = "0123456789abcdef"u8.ToArray();
            while (!stopping.IsCancellationRequested) await context.Response.OutputStream.WriteAsync(chunk, stopping);
        });

        var result = await Run(new HttpRunnerOptions { MaxResponseBytes = 100_008, OutputLimitBytes = 1000 }, server.Url.ToString());

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.EndsWith("89abcdef01234567\n[… response cut off after 100008 bytes; the rest was not read]\n", result.Output);
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1001, true)]
    public async Task Should_mark_the_cut_only_when_the_body_goes_past_the_bound(int bodyLength, bool cut)
    {
        var body = new string('x', bodyLength);
        await using var server = LoopbackServer.Answering(200, body);

        var result = await Run(new HttpRunnerOptions { MaxResponseBytes = 1000 }, server.Url.ToString());

        Assert.Equal(cut ? new string('x', 1000) + "\n[… response cut off after 1000 bytes; the rest was not read]\n" : body, result.Output);
    }

    [Fact]
    public void Should_refuse_to_start_the_runner_when_the_options_are_misconfigured()
    {
        var options = new HttpRunnerOptions { OutputLimitBytes = 0, MaxResponseBytes = 0, DefaultTimeout = TimeSpan.Zero, MaxRedirects = -1 };

        var error = Assert.Throws<ArgumentException>(() => new HttpRunner(Loopback, options));

        Assert.Contains("OutputLimitBytes must be at least 1", error.Message);
        Assert.Contains("MaxResponseBytes must be at least 1", error.Message);
        Assert.Contains("DefaultTimeout must be positive", error.Message);
        Assert.Contains("MaxRedirects must not be negative", error.Message);
    }
}
