using System.Net;
using ActorScheduler.Engine.Hosting;

namespace ActorScheduler.Gateway.Tests;

public sealed class BindingSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static GatewaySettings Settings(string host, string? token = null, int port = 0) =>
        new(host, port, token, TimeSpan.FromSeconds(5), [], [], Dashboard: true, SessionLifetime: TimeSpan.FromHours(1));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("*")]
    [InlineData("192.168.1.10")]
    public async Task Should_refuse_to_start_when_binding_beyond_loopback_without_a_token(string host)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GatewayServer.StartAsync(gateway.Engine.Jobs, Settings(host)));

        Assert.Contains("needs an API token", refused.Message);
        Assert.Contains("actor-scheduler.gateway.token", refused.Message);
    }

    [Theory]
    [InlineData("t")]
    [InlineData("correct-horse-battery-staple")]
    public void Should_refuse_to_bind_beyond_loopback_with_a_token_shorter_than_the_minimum(string token)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => GatewayServer.ListenEndpoint(Settings("0.0.0.0", token)));

        Assert.Contains($"at least {GatewaySettings.MinTokenLength} characters (this one has {token.Length})", refused.Message);
        Assert.NotNull(GatewayServer.ListenEndpoint(Settings("0.0.0.0", new string('k', GatewaySettings.MinTokenLength))));
        Assert.NotNull(GatewayServer.ListenEndpoint(Settings("127.0.0.1", token)));
    }

    [Fact]
    public void Should_refuse_a_host_name_when_it_cannot_be_checked_for_loopback()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => GatewayServer.ListenEndpoint(Settings("example.org", token: "t")));

        Assert.Contains("example.org", refused.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    public void Should_allow_loopback_addresses_when_no_token_is_configured(string host, string bound)
    {
        Assert.Equal(IPAddress.Parse(bound), GatewayServer.ListenEndpoint(Settings(host)).Address);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    public void Should_allow_any_address_when_a_token_is_configured(string host)
    {
        Assert.Equal(IPAddress.Parse(host), GatewayServer.ListenEndpoint(Settings(host, token: "a-secret-token-of-at-least-32-characters")).Address);
    }

    [Fact]
    public async Task Should_listen_on_a_free_port_and_report_it_when_the_port_is_zero()
    {
        await using var second = await GatewayServer.StartAsync(gateway.Engine.Jobs, Settings("localhost"));
        using var client = new HttpClient { BaseAddress = second.Url };

        var health = await client.GetAsync("/healthz");

        Assert.NotEqual(0, second.Url.Port);
        Assert.NotEqual(gateway.Server.Url.Port, second.Url.Port);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
