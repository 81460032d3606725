using System.Net;
using System.Net.Http.Headers;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// The Host header must name the gateway: a web page that reaches the API under a name of its own (DNS
/// rebinding) is refused before anything is read or asked.
/// </summary>
public sealed class HostCheckSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private int Port => gateway.Server.Url.Port;

    private static async Task ExpectServed(HttpResponseMessage response, bool served)
    {
        if (served)
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else
            await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "Host:");
    }

    [Fact]
    public async Task Should_refuse_with_400_and_create_nothing_when_the_host_is_foreign()
    {
        var id = Api.NewId("rebound");

        var response = await Api.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("Host", "attacker.example"));

        var detail = await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "Host:");
        Assert.Contains("attacker.example", detail);
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/api/v1/jobs")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("POST", "/api/v1/schedules/preview")]
    [InlineData("GET", "/nothing-here")]
    public async Task Should_refuse_reads_too_when_the_host_is_foreign(string method, string path)
    {
        var response = await Api.Send(new HttpMethod(method), path, null, ("Host", $"attacker.example:{Port}"));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "Host:");
    }

    [Theory]
    [InlineData("localhost.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("127.0.0.2")]
    [InlineData("[::2]")]
    [InlineData("10.0.0.1")]
    [InlineData("localhost.")]
    [InlineData("2130706433")]
    public async Task Should_refuse_names_that_only_look_like_the_gateways_when_bound_to_loopback(string host)
    {
        var response = await Api.Send(HttpMethod.Get, "/api/v1/jobs", null, ("Host", host));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "Host:");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost")]
    [InlineData("LocalHost:{port}")]
    [InlineData("[::1]")]
    [InlineData("[::1]:{port}")]
    public async Task Should_answer_when_the_host_is_one_of_the_loopback_names(string host)
    {
        var response = await Api.Send(HttpMethod.Get, "/api/v1/jobs", null, ("Host", host.Replace("{port}", Port.ToString())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Should_answer_health_probes_whatever_the_host_when_probed(string path)
    {
        // Orchestrators probe by whatever address they know the node by; the probes reveal nothing about jobs.
        var response = await Api.Eventually(() => Api.Send(HttpMethod.Get, path, null, ("Host", "10.1.2.3:8080")),
            r => r.StatusCode == HttpStatusCode.OK, $"{path} to answer 200");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("scheduler.example.com", true)]
    [InlineData("SCHEDULER.example.com:8443", true)]
    [InlineData("eu.jobs.example.org", true)]
    [InlineData("jobs.example.org", false)]
    [InlineData("scheduler.example.com.attacker.example", false)]
    [InlineData("attacker.example", false)]
    public async Task Should_answer_the_configured_allowed_hosts_when_they_are_listed(string host, bool allowed)
    {
        await using var server = await gateway.StartGateway(s => s with { AllowedHosts = ["scheduler.example.com", "*.jobs.example.org"] });
        using var api = new Api(new HttpClient { BaseAddress = server.Url });

        var response = await api.Send(HttpMethod.Get, "/api/v1/jobs", null, ("Host", host));

        await ExpectServed(response, allowed);
    }

    [Theory]
    [InlineData("127.0.0.1:{port}", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("[fe80::1]:{port}", true)]
    [InlineData("localhost:{port}", true)]
    [InlineData("scheduler.example.com", true)]
    [InlineData("attacker.example", false)]
    [InlineData("192.168.1.10.attacker.example", false)]
    public async Task Should_answer_ip_literals_and_allowed_hosts_only_when_bound_to_every_address(string host, bool allowed)
    {
        const string token = "a-token-long-enough-for-a-wildcard-bind";
        await using var server = await gateway.StartGateway(s => s with { Host = "0.0.0.0", Token = token, AllowedHosts = ["scheduler.example.com"] });
        var port = server.Url.Port;
        using var api = new Api(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
        api.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await api.Send(HttpMethod.Get, "/api/v1/jobs", null, ("Host", host.Replace("{port}", port.ToString())));

        await ExpectServed(response, allowed);
    }

    [Theory]
    [InlineData("http://scheduler.example.com")]
    [InlineData("scheduler.example.com:8080")]
    [InlineData("scheduler.example.com/api")]
    [InlineData("")]
    public void Should_refuse_to_start_when_an_allowed_host_is_not_a_host_name(string entry)
    {
        var settings = gateway.Engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0, AllowedHosts = [entry] };

        var refused = Assert.Throws<InvalidOperationException>(() => GatewayServer.ListenEndpoint(settings));

        Assert.Contains("actor-scheduler.gateway.allowed-hosts", refused.Message);
    }
}
