using System.Net;
using System.Net.Http.Headers;

namespace ActorScheduler.Gateway.Tests;

public sealed class AuthSpecs(SecuredGatewayFixture gateway) : IClassFixture<SecuredGatewayFixture>
{
    /// <summary>A client of the same gateway sending <paramref name="authorization"/> (or nothing) instead of the token.</summary>
    private Api ClientWith(string? authorization)
    {
        var client = new HttpClient { BaseAddress = gateway.Server.Url };
        if (authorization is not null)
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        return new Api(client);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    public async Task Should_answer_401_with_a_bearer_challenge_when_the_token_is_missing(string? authorization)
    {
        using var api = ClientWith(authorization);

        var response = await api.Get("/api/v1/jobs");

        await Api.ExpectProblem(response, HttpStatusCode.Unauthorized, "Bearer");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Should_answer_403_when_the_token_is_wrong()
    {
        using var api = ClientWith("Bearer " + SecuredGatewayFixture.Secret + "-not");

        await Api.ExpectProblem(await api.Get("/api/v1/jobs"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Should_answer_401_before_looking_at_the_input_when_the_token_is_missing()
    {
        using var api = ClientWith(null);
        var id = Api.NewId("unauthenticated");

        await Api.ExpectProblem(await api.Post("/api/v1/jobs", "{ not json"), HttpStatusCode.Unauthorized);
        await Api.ExpectProblem(await api.Post("/api/v1/jobs", Api.Job(id)), HttpStatusCode.Unauthorized);
        await Api.ExpectProblem(await api.Post("/api/v1/schedules/preview", "{}"), HttpStatusCode.Unauthorized);
        await Api.ExpectProblem(await gateway.Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_serve_the_api_when_the_token_is_right()
    {
        var id = Api.NewId("authorized");

        await gateway.Api.CreateJob(id);

        Assert.Equal(id, (await gateway.Api.GetJob(id)).Id);
        using var lowerCaseScheme = ClientWith("bearer " + SecuredGatewayFixture.Secret);
        Assert.Equal(HttpStatusCode.OK, (await lowerCaseScheme.Get($"/api/v1/jobs/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi/v1.json")]
    public async Task Should_answer_without_a_token_when_probing_health_or_reading_the_document(string path)
    {
        using var api = ClientWith(null);
        var response = await api.Get(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypeHeaderValue.Parse("application/json").MediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Should_declare_the_bearer_scheme_when_a_token_is_configured()
    {
        using var api = ClientWith(null);
        var document = await (await api.Get("/openapi/v1.json")).Content.ReadAsStringAsync();

        Assert.Contains("\"bearer\"", document);
    }
}
