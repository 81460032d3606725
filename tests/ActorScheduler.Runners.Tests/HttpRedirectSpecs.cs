using System.Net;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Http;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>The runner follows redirects itself, hop by hop, with the method and body rules browsers and HttpClient use.</summary>
public sealed class HttpRedirectSpecs : IDisposable
{
    private readonly HttpRunner runner = new(new HttpDestinationPolicy { AllowLoopback = true });

    public void Dispose() => runner.Dispose();

    private Task<RunResult> Run(HttpRunSpec spec) =>
        runner.RunAsync(Runs.Request(new RunSpec { Http = spec }), NullRunObserver.Instance, CancellationToken.None).Within();

    /// <summary>Answers /start with <paramref name="status"/> to <paramref name="location"/>, and anything else with 200 and its path.</summary>
    private static LoopbackServer RedirectingOnce(int status, string location, string address = "127.0.0.1") => LoopbackServer.Start(async (context, _) =>
    {
        if (context.Request.Url!.AbsolutePath == "/start")
        {
            context.Response.StatusCode = status;
            context.Response.RedirectLocation = location;
            return;
        }
        await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes("at " + context.Request.Url.AbsolutePath));
    }, address);

    [Theory]
    [InlineData(301, "GET", false, "GET", "")]
    [InlineData(301, "POST", true, "GET", "")]
    [InlineData(302, "POST", true, "GET", "")]
    [InlineData(302, "PUT", true, "PUT", "[1]")]
    [InlineData(303, "PUT", true, "GET", "")]
    [InlineData(303, "DELETE", false, "GET", "")]
    [InlineData(307, "POST", true, "POST", "[1]")]
    [InlineData(308, "PUT", true, "PUT", "[1]")]
    public async Task Should_repeat_or_change_the_method_as_the_status_says_when_redirected(
        int status, string method, bool withBody, string expectedMethod, string expectedBody)
    {
        await using var server = RedirectingOnce(status, "/target");

        var result = await Run(new HttpRunSpec { Url = server.Url + "start", Method = method, Body = withBody ? Runs.Json("[1]") : null });

        Assert.Equal("at /target", result.Output);
        var followed = server.Received.Last();
        Assert.Equal(("/target", expectedMethod, expectedBody), (followed.Path, followed.Method, followed.Body));
        Assert.Equal(expectedBody.Length > 0, followed.Headers.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task Should_keep_credentials_within_the_origin_and_drop_them_when_a_redirect_leaves_it()
    {
        await using var elsewhere = LoopbackServer.Answering(200, "elsewhere", address: "127.0.0.2");
        await using var origin = LoopbackServer.Start((context, _) =>
        {
            context.Response.StatusCode = 307;
            context.Response.RedirectLocation = context.Request.Url!.AbsolutePath == "/start" ? "/same-origin" : elsewhere.Url.ToString();
            return Task.CompletedTask;
        });
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer job-token", ["Cookie"] = "session=1", ["X-Api-Key"] = "key" };

        var result = await Run(new HttpRunSpec { Url = origin.Url + "start", Headers = headers });

        Assert.Equal("elsewhere", result.Output);
        var sameOrigin = origin.Received.Last();
        Assert.Equal(("Bearer job-token", "session=1"), (sameOrigin.Headers["Authorization"], sameOrigin.Headers["Cookie"]));
        var crossOrigin = Assert.Single(elsewhere.Received);
        Assert.False(crossOrigin.Headers.ContainsKey("Authorization"), "credentials for one origin must not follow a redirect to another");
        Assert.False(crossOrigin.Headers.ContainsKey("Cookie"));
        Assert.Equal(("key", "nightly-billing~7"), (crossOrigin.Headers["X-Api-Key"], crossOrigin.Headers["X-Scheduler-Run-Id"]));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public async Task Should_fail_naming_the_limit_when_redirects_go_on_too_long(int maxRedirects)
    {
        await using var loop = LoopbackServer.Start((context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "/again";
            return Task.CompletedTask;
        });
        using var limited = new HttpRunner(new HttpDestinationPolicy { AllowLoopback = true }, new HttpRunnerOptions { MaxRedirects = maxRedirects });

        var result = await limited.RunAsync(Runs.Request(new RunSpec { Http = new HttpRunSpec { Url = loop.Url.ToString() } }),
            NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal($"redirect {maxRedirects + 1} to {loop.Url}again not followed: this worker follows at most {maxRedirects} " +
            "redirects per run (actor-scheduler.worker.http.max-redirects)", result.Error);
        Assert.Equal(maxRedirects + 1, loop.Received.Count);
    }

    [Fact]
    public async Task Should_refuse_when_a_redirect_leaves_http()
    {
        await using var server = RedirectingOnce(302, "file:///etc/passwd");

        var result = await Run(new HttpRunSpec { Url = server.Url + "start" });

        Assert.Equal("redirect 1 to file:///etc/passwd refused: only http and https destinations are followed", result.Error);
    }

    [Fact]
    public void Should_refuse_when_a_redirect_leaves_https_for_plain_http()
    {
        var (first, _) = HttpHop.First(Runs.Request(new RunSpec()), new HttpRunSpec { Url = "https://billing.example/hook" });
        using var answer = new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("http://billing.example/hook") } };

        var next = first!.Follow(answer);

        Assert.Equal("it would leave https for plain http", next!.SchemeRefusal(first));
    }

    [Theory]
    [InlineData(302, null, "HTTP 302 Found")]
    [InlineData(300, "/target", "HTTP 300 Multiple Choices")]
    [InlineData(304, "/target", "HTTP 304 Not Modified")]
    public async Task Should_end_with_the_answer_when_it_is_not_a_redirect_to_follow(int status, string? location, string error)
    {
        await using var server = LoopbackServer.Start((context, _) =>
        {
            context.Response.StatusCode = status;
            if (location is not null) context.Response.RedirectLocation = location;
            return Task.CompletedTask;
        });

        var result = await Run(new HttpRunSpec { Url = server.Url.ToString() });

        Assert.Equal(RunResult.Failed(error), result);
        Assert.Single(server.Received);
    }
}
