using System.Text;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Http;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>HTTP runs against a real server on the loopback interface, which this worker's policy allows.</summary>
public sealed class HttpRunnerSpecs : IDisposable
{
    private readonly HttpRunner runner = new(new HttpDestinationPolicy { AllowLoopback = true });

    public void Dispose() => runner.Dispose();

    private Task<RunResult> Run(HttpRunSpec spec, TimeSpan? timeout = null, CancellationToken cancel = default) =>
        runner.RunAsync(Runs.Request(new RunSpec { Http = spec }, timeout), NullRunObserver.Instance, cancel).Within();

    [Fact]
    public async Task Should_succeed_with_the_body_as_output_when_the_answer_is_2xx()
    {
        await using var server = LoopbackServer.Answering(200, "all good");

        var result = await Run(new HttpRunSpec { Url = server.Url + "ping" });

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("all good", result.Output);
        Assert.Null(result.Error);
        var request = Assert.Single(server.Received);
        Assert.Equal(("GET", "/ping"), (request.Method, request.Path));
    }

    [Fact]
    public async Task Should_fail_naming_the_status_when_the_answer_is_5xx()
    {
        await using var server = LoopbackServer.Answering(503, "try later");

        var result = await Run(new HttpRunSpec { Url = server.Url.ToString() });

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal("HTTP 503 Service Unavailable", result.Error);
        Assert.Equal("try later", result.Output);
    }

    [Fact]
    public async Task Should_post_the_json_body_when_a_body_is_given_without_a_method()
    {
        await using var server = LoopbackServer.Answering(201);

        var result = await Run(new HttpRunSpec { Url = server.Url.ToString(), Body = Runs.Json("""{"customer":1234}""") });

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        var request = Assert.Single(server.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"customer":1234}""", request.Body);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Should_send_the_headers_and_the_run_identity_when_the_request_is_made()
    {
        await using var server = LoopbackServer.Answering(204);
        var spec = new HttpRunSpec
        {
            Url = server.Url.ToString(),
            Method = "put",
            Body = Runs.Json("[1]"),
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = "secret", ["Content-Type"] = "application/vnd.billing+json" },
        };

        await Run(spec);

        var request = Assert.Single(server.Received);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("secret", request.Headers["X-Api-Key"]);
        Assert.Equal("application/vnd.billing+json", request.Headers["Content-Type"]);
        Assert.Equal("nightly-billing", request.Headers["X-Scheduler-Job-Id"]);
        Assert.Equal("nightly-billing~7", request.Headers["X-Scheduler-Run-Id"]);
        Assert.Equal("2", request.Headers["X-Scheduler-Attempt"]);
        Assert.Equal("41", request.Headers["X-Scheduler-Fencing-Token"]);
        Assert.Equal("2026-03-01T02:30:00Z", request.Headers["X-Scheduler-Scheduled-For"]);
    }

    [Fact]
    public async Task Should_time_out_when_the_server_does_not_answer_in_time()
    {
        await using var server = LoopbackServer.Start((_, stopping) => Task.Delay(Timeout.Infinite, stopping));

        var result = await Run(new HttpRunSpec { Url = server.Url.ToString() }, timeout: TimeSpan.FromSeconds(1));

        Assert.Equal(RunStatus.TimedOut, result.Outcome);
        Assert.Equal("timed out after 1 s", result.Error);
    }

    [Fact]
    public async Task Should_cancel_when_the_caller_cancels_during_the_request()
    {
        await using var server = LoopbackServer.Start((_, stopping) => Task.Delay(Timeout.Infinite, stopping));
        using var cancel = new CancellationTokenSource();
        _ = server.FirstRequest.Task.ContinueWith(_ => cancel.Cancel(), TaskScheduler.Default);

        var result = await Run(new HttpRunSpec { Url = server.Url.ToString() }, cancel: cancel.Token);

        Assert.Equal(RunStatus.Canceled, result.Outcome);
    }

    [Fact]
    public async Task Should_fail_with_the_transport_error_when_nothing_listens()
    {
        var url = $"http://127.0.0.1:{LoopbackServer.FreePort()}/";

        var result = await Run(new HttpRunSpec { Url = url });

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Contains("refused", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Should_keep_the_tail_of_the_body_when_the_answer_is_large()
    {
        var body = new string('a', 200_000) + "THE-END";
        await using var server = LoopbackServer.Answering(200, body);

        var result = await Run(new HttpRunSpec { Url = server.Url.ToString() });

        Assert.StartsWith($"[… {Encoding.UTF8.GetByteCount(body) - 64 * 1024} bytes omitted]\n", result.Output);
        Assert.EndsWith("aaaTHE-END", result.Output);
    }

    [Theory]
    [InlineData("ftp://example.org/file", null, "run.http.url 'ftp://example.org/file' is not an absolute http or https URL")]
    [InlineData("not a url", null, "run.http.url 'not a url' is not an absolute http or https URL")]
    [InlineData("http://127.0.0.1/", "GE T", "run.http.method 'GE T' is not an HTTP method")]
    public async Task Should_fail_without_sending_when_the_spec_is_invalid(string url, string? method, string error)
    {
        var result = await Run(new HttpRunSpec { Url = url, Method = method });

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public async Task Should_fail_without_sending_when_a_header_cannot_be_sent()
    {
        await using var server = LoopbackServer.Answering(200);
        var spec = new HttpRunSpec { Url = server.Url.ToString(), Headers = new Dictionary<string, string> { ["Bad Name"] = "x" } };

        var result = await Run(spec);

        Assert.Equal("run.http.headers 'Bad Name' is not a valid header name and value", result.Error);
        Assert.Empty(server.Received);
    }
}
