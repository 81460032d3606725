using System.Net;

namespace ActorScheduler.Gateway.Tests;

public sealed class HealthSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_answer_alive_when_the_process_serves()
    {
        var health = await Api.Expect<HealthStatus>(await Api.Get("/healthz"), HttpStatusCode.OK);

        Assert.Equal("alive", health.Status);
    }

    [Fact]
    public async Task Should_answer_ready_when_the_engine_answers()
    {
        // Right after start-up the shard region may still be finding its coordinator: not ready is correct then.
        var ready = await Api.Eventually(() => Api.Get("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "the node to be ready");

        Assert.Equal("ready", (await Api.Expect<HealthStatus>(ready, HttpStatusCode.OK)).Status);
        await Api.ExpectProblem(await Api.Get("/api/v1/jobs/_readyz-probe"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/elsewhere")]
    [InlineData("GET", "/api/v1/jobs/x/trigger")]
    public async Task Should_answer_with_a_problem_when_the_path_or_method_is_unknown(string method, string path)
    {
        var response = await Api.Send(new HttpMethod(method), path);

        Assert.InRange((int)response.StatusCode, 404, 405);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
