using ActorScheduler.Engine.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Guards every <c>/api</c> endpoint when a token is configured: no (or a non-Bearer) Authorization header is
/// 401 with <c>WWW-Authenticate: Bearer</c>, a wrong token 403. It runs before the handler reads anything, so an
/// unauthenticated request learns nothing about jobs, not even whether its input is valid. A request without an
/// Authorization header may instead carry a dashboard session (<see cref="DashboardSessions"/>); then a change
/// (anything but GET and HEAD) must also repeat the session's CSRF token, or it is refused with 403.
/// </summary>
internal sealed class BearerTokenFilter(string token, DashboardSessions? sessions = null) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    private readonly ApiToken _expected = new(token);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext) ?? await next(context);

    /// <summary>The answer to a request without the token (401) or with a wrong one (403); null when it may pass.</summary>
    public IResult? Refusal(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0 && sessions?.Read(http.Request) is { } session)
        {
            return HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || DashboardSessions.CarriesCsrf(http.Request, session.Csrf)
                ? null
                : ApiResults.Problem(StatusCodes.Status403Forbidden,
                    $"A change made with the dashboard's session cookie must repeat its CSRF token in the {DashboardSessions.CsrfHeader} header " +
                    "(cross-site request forgery); sign in again if the page is old.");
        }
        // A run token goes only to the endpoints that take one (the script API), which check it themselves.
        if (header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && RunTokens.LooksLike(header[Scheme.Length..].Trim()) &&
            http.GetEndpoint()?.Metadata.GetMetadata<Endpoints.RunTokenAccepted>() is not null)
            return null;
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return ApiResults.Problem(StatusCodes.Status401Unauthorized,
                "This API needs 'Authorization: Bearer <token>' with the token configured as actor-scheduler.gateway.token " +
                "(or, in a browser, a sign-in on the dashboard at /).");
        }
        return _expected.Matches(header[Scheme.Length..].Trim())
            ? null
            : ApiResults.Problem(StatusCodes.Status403Forbidden, "The bearer token is not the one this gateway is configured with.");
    }
}
