using ActorScheduler.Engine.Security;
using Microsoft.AspNetCore.Http;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Names the caller of every API request for the audit trail (<see cref="ChangeAuthor"/>): how it was let in (the API
/// token, a dashboard session, a run's token, or no token on a gateway without one) and the client it says it is
/// (<see cref="ClientHeader"/>, else its User-Agent). Runs after the token check, so it names only callers let in.
/// </summary>
internal sealed class ChangeAuthorFilter(bool tokenRequired) : IEndpointFilter
{
    /// <summary>The header a client names itself in (our addition), e.g. <c>schedctl/1.0 alice@build-1</c>.</summary>
    public const string ClientHeader = "X-Scheduler-Client";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            ChangeAuthor.Set(ChangeAuthor.Describe(Principal(request), Client(request)));
        return next(context);
    }

    private string Principal(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return RunTokens.LooksLike(authorization[7..].Trim()) ? "run-token" : tokenRequired ? "api-token" : "anonymous";
        return tokenRequired ? "dashboard" : "anonymous";
    }

    private static string? Client(HttpRequest request) =>
        request.Headers[ClientHeader].ToString() is { Length: > 0 } named ? named
        : request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent
        : null;
}
