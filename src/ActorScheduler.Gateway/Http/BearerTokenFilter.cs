using ActorScheduler.Engine.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Guards every <c>/api</c> endpoint when a token is configured: no (or a non-Bearer) Authorization header is
/// 401 with <c>WWW-Authenticate: Bearer</c>, a wrong token 403. It runs before the handler reads anything, so an
/// unauthenticated request learns nothing about jobs, not even whether its input is valid.
/// </summary>
internal sealed class BearerTokenFilter(string token) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    private readonly ApiToken _expected = new(token);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext) ?? await next(context);

    /// <summary>The answer to a request without the token (401) or with a wrong one (403); null when it may pass.</summary>
    public IResult? Refusal(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return ApiResults.Problem(StatusCodes.Status401Unauthorized,
                "This API needs 'Authorization: Bearer <token>' with the token configured as actor-scheduler.gateway.token.");
        }
        return _expected.Matches(header[Scheme.Length..].Trim())
            ? null
            : ApiResults.Problem(StatusCodes.Status403Forbidden, "The bearer token is not the one this gateway is configured with.");
    }
}
