using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Which browser pages may change things through the API. A page of any origin can make a browser send a POST,
/// PUT, DELETE or PATCH (a form, or fetch without a preflight: no Content-Type, or text/plain); the browser then
/// sends its Origin, which is how such a request is told apart and refused with 403 before anything is read. Pages
/// that may: the gateway's own origin (exactly the host and port the request was sent to, which the Host check of
/// <see cref="GatewayHostNames"/> accepted), and the <c>cors-origins</c>, which also get CORS answers (ASP.NET Core's CORS
/// middleware, with the <see cref="Cors"/> policy) so that they may read what the API answers. Requests without
/// an Origin are not from a page (curl, the .NET client, a server) and pass, as do reads: the Host check keeps
/// foreign pages from reading them, and without CORS headers the browser hands the answer to no other page.
/// </summary>
internal sealed class GatewayOrigins
{
    private const string CorsOriginsKey = "actor-scheduler.gateway.cors-origins";

    public GatewayOrigins(IReadOnlyList<string> corsOrigins)
    {
        Check(corsOrigins);
        Cors = corsOrigins.Count == 0 ? null : new CorsPolicyBuilder()
            .WithOrigins([.. corsOrigins.Select(o => o.Trim())])
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
            .WithHeaders(HeaderNames.Authorization, HeaderNames.ContentType)
            .WithExposedHeaders(HeaderNames.Location, HeaderNames.WWWAuthenticate, "Output-Next", "Output-Running", "Output-Dropped", "Output-More")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
    }

    /// <summary>The CORS policy for the listed origins; null when none are listed (CORS off: no CORS headers at all).</summary>
    public CorsPolicy? Cors { get; }

    /// <exception cref="InvalidOperationException">An entry is not an http(s) origin, or is <c>*</c>.</exception>
    public static void Check(IReadOnlyList<string> corsOrigins)
    {
        foreach (var entry in corsOrigins)
        {
            var origin = entry.Trim();
            if (origin == "*")
                throw new InvalidOperationException(
                    $"{CorsOriginsKey} must list origins one by one: '*' would let every web page use the API.");
            if (!IsOrigin(origin, out _) || origin.EndsWith('/'))
                throw new InvalidOperationException(
                    $"{CorsOriginsKey} entry '{entry}' must be an origin such as https://app.example.com or http://localhost:3000 " +
                    "(scheme, host and port only: no path, not even a trailing '/').");
        }
    }

    /// <summary>Whether <paramref name="request"/> may change state: it is a read, carries no Origin, or comes from an accepted one.</summary>
    public bool MayChange(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) ||
            HttpMethods.IsTrace(request.Method))
            return true;
        var origin = request.Headers.Origin;
        if (origin.Count == 0)
            return true;
        return origin.Count == 1 && (IsOwn(origin.ToString(), request.Host) || Cors?.IsOriginAllowed(origin.ToString()) == true);
    }

    /// <summary>
    /// The page's origin is the very authority the request was sent to (the Host the Host check accepted): same host
    /// and same port, a missing port being the scheme's default. Allowed-host patterns do not widen it: with
    /// <c>*.example.com</c> or <c>*</c>, a sibling or any site would otherwise count as the gateway's own.
    /// </summary>
    private static bool IsOwn(string origin, HostString requestHost)
    {
        if (!IsOrigin(origin, out var uri))
            return false;
        var requestPort = requestHost.Port ?? (uri.Scheme == Uri.UriSchemeHttps ? 443 : 80);
        return string.Equals(uri.Host, requestHost.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == requestPort;
    }

    /// <summary>scheme://host[:port] with an http or https scheme and nothing else, as browsers send it.</summary>
    private static bool IsOrigin(string text, out Uri uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri!) && uri.Scheme is "http" or "https" &&
        uri.UserInfo.Length == 0 && uri.PathAndQuery == "/" && uri.Fragment.Length == 0;
}

internal static class OriginCheck
{
    /// <summary>Refuses, with a 403 naming the Origin header, a state-changing request from a page <paramref name="origins"/> does not accept.</summary>
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app, GatewayOrigins origins) =>
        app.Use((http, next) => origins.MayChange(http.Request)
            ? next(http)
            : ApiResults.Problem(StatusCodes.Status403Forbidden,
                $"Origin: a page of '{http.Request.Headers.Origin}' may not change anything here. Only this gateway's own origin and the " +
                "origins in actor-scheduler.gateway.cors-origins may (cross-site request forgery).").ExecuteAsync(http));
}
