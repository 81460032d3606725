using System.Net;
using System.Net.Http.Headers;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// CORS is off unless <c>cors-origins</c> lists origins; then pages from those origins (and only those) may call
/// the API from a browser, bearer token included.
/// </summary>
public sealed class CorsSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private const string App = "https://app.example";
    private const string Token = "a-token-for-the-browser-app-of-the-cors-specs";

    /// <summary>A browser's preflight for a JSON POST with a bearer token.</summary>
    private static (string, string)[] Preflight(string origin, string method = "POST") =>
        [("Origin", origin), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", "authorization,content-type")];

    private GatewayServer _corsServer = null!;

    /// <summary>A client of a second gateway that requires a token and lists two origins; it sends the token.</summary>
    private Api Cors { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _corsServer = await gateway.StartGateway(s => s with { Token = Token, CorsOrigins = [App, "http://localhost:3000"] });
        Cors = new Api(new HttpClient { BaseAddress = _corsServer.Url });
        Cors.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        Cors.Dispose();
        await _corsServer.DisposeAsync();
    }

    private static void AssertNoCorsHeaders(HttpResponseMessage response) =>
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    [Fact]
    public async Task Should_send_no_cors_headers_when_no_origins_are_configured()
    {
        var preflight = await gateway.Api.Send(HttpMethod.Options, "/api/v1/jobs", null, Preflight(App));
        var read = await gateway.Api.Send(HttpMethod.Get, "/api/v1/jobs", null, ("Origin", App));

        AssertNoCorsHeaders(preflight);
        Assert.Equal("application/problem+json", preflight.Content.Headers.ContentType?.MediaType);
        AssertNoCorsHeaders(read);
    }

    [Theory]
    [InlineData("/api/v1/jobs", "POST")]
    [InlineData("/api/v1/jobs/some-job", "PUT")]
    [InlineData("/api/v1/jobs/some-job", "DELETE")]
    [InlineData("/api/v1/jobs/some-job/trigger", "POST")]
    public async Task Should_allow_the_method_and_headers_without_a_token_when_a_listed_origin_asks_first(string path, string method)
    {
        Cors.Client.DefaultRequestHeaders.Authorization = null; // browsers send no credentials with a preflight

        var response = await Cors.Send(HttpMethod.Options, path, null, Preflight(App, method));

        Assert.True(response.IsSuccessStatusCode, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal(App, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Header(response, "Access-Control-Allow-Methods").Split(','));
        var headers = Header(response, "Access-Control-Allow-Headers").ToLowerInvariant().Split(',');
        Assert.Contains("authorization", headers);
        Assert.Contains("content-type", headers);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://app.example.evil.example")]
    [InlineData("http://app.example")]
    [InlineData("http://localhost:3001")]
    [InlineData("null")]
    public async Task Should_send_no_cors_headers_when_an_unlisted_origin_asks_first(string origin)
    {

        var response = await Cors.Send(HttpMethod.Options, "/api/v1/jobs", null, Preflight(origin));

        AssertNoCorsHeaders(response);
    }

    [Fact]
    public async Task Should_let_a_listed_origin_create_and_read_the_answer_when_it_sends_the_token()
    {
        var id = Api.NewId("cors-create");

        var response = await Cors.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("Origin", App));

        await Api.Expect<Core.Jobs.JobView>(response, HttpStatusCode.Created);
        Assert.Equal(App, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("location", Header(response, "Access-Control-Expose-Headers").ToLowerInvariant().Split(','));
    }

    [Fact]
    public async Task Should_refuse_an_unlisted_origin_with_403_when_cors_is_on()
    {
        var id = Api.NewId("cors-refused");

        var response = await Cors.Send(HttpMethod.Post, "/api/v1/jobs", Api.Job(id), ("Origin", "https://evil.example"));

        await Api.ExpectProblem(response, HttpStatusCode.Forbidden, "Origin:");
        AssertNoCorsHeaders(response);
        await Api.ExpectProblem(await Cors.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("app.example")]
    [InlineData("https://app.example/")]
    [InlineData("https://app.example/path")]
    [InlineData("ftp://app.example")]
    public void Should_refuse_to_start_when_a_cors_origin_is_not_an_origin(string entry)
    {
        var settings = gateway.Engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0, CorsOrigins = [entry] };

        var refused = Assert.Throws<InvalidOperationException>(() => GatewayServer.ListenEndpoint(settings));

        Assert.Contains("actor-scheduler.gateway.cors-origins", refused.Message);
    }
}
