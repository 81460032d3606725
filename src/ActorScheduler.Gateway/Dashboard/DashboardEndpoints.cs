using System.Threading.RateLimiting;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Dashboard;

/// <summary>
/// The web dashboard (docs/DASHBOARD.md): one HTML page at <c>/</c>, its scripts and styles at <c>/assets/</c>
/// (embedded in this assembly: nothing to install, no Node.js), and the sign-in at <c>/dashboard/session</c>. The
/// page calls the same <c>/api/v1</c> as every client; the session cookie stands in for the bearer token there.
/// </summary>
internal static class DashboardEndpoints
{
    public const string SessionPath = "/dashboard/session";
    public const string AssetsPath = "/assets";

    /// <summary>Wrong tokens accepted per minute across all clients before sign-in answers 429 for the rest of the minute.</summary>
    public const int FailedSignInsPerMinute = 20;

    // Scripts and styles only from this origin, no inline script, no framing, no other site to talk to.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly EmbeddedFileProvider Files = new(typeof(DashboardEndpoints).Assembly, "ActorScheduler.Gateway.Dashboard.ui");

    public static void UseDashboard(this WebApplication app, GatewaySettings settings, DashboardSessions? sessions, ILogger logger)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            RequestPath = AssetsPath,
            OnPrepareResponse = file => Harden(file.Context.Response),
        });
        app.MapGet("/", (HttpContext http) => Page(http)).ExcludeFromDescription();
        var failures = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailedSignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        });
        app.MapGet(SessionPath, (HttpRequest request) => Describe(request, sessions)).ExcludeFromDescription();
        app.MapPost(SessionPath, (HttpRequest request) => SignIn(request, settings, sessions, failures, logger)).ExcludeFromDescription();
        app.MapDelete(SessionPath, (HttpRequest request) =>
        {
            request.HttpContext.Response.Cookies.Delete(DashboardSessions.CookieName(request), new CookieOptions { Path = "/" });
            return Results.NoContent();
        }).ExcludeFromDescription();
    }

    private static async Task Page(HttpContext http)
    {
        var file = Files.GetFileInfo("index.html");
        Harden(http.Response);
        http.Response.ContentType = "text/html; charset=utf-8";
        await using var stream = file.CreateReadStream();
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    /// <summary>Revalidated on every load (a new version shows at once), never framed, never sniffed.</summary>
    private static void Harden(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>Whether the page must ask for the token, and the CSRF token of a current session.</summary>
    private static IResult Describe(HttpRequest request, DashboardSessions? sessions)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (sessions is null)
            return ApiResults.Json(new SessionState(TokenRequired: false, SignedIn: true, Csrf: null, ExpiresAt: null));
        return sessions.Read(request) is { } session
            ? ApiResults.Json(new SessionState(true, true, session.Csrf, session.Expires))
            : ApiResults.Json(new SessionState(true, false, null, null));
    }

    private static async Task<IResult> SignIn(HttpRequest request, GatewaySettings settings, DashboardSessions? sessions, RateLimiter failures, ILogger logger)
    {
        try
        {
            return await TrySignIn(request, settings, sessions, failures, logger);
        }
        catch (BadInputException error) // outside /api, where the engine error filter answers these
        {
            return ApiResults.BadInput(error.Errors);
        }
    }

    private static async Task<IResult> TrySignIn(HttpRequest request, GatewaySettings settings, DashboardSessions? sessions, RateLimiter failures, ILogger logger)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var body = await ApiInput.Body<SignInRequest>(request, required: true);
        if (sessions is null)
            return ApiResults.Json(new SessionState(false, true, null, null));
        if (body!.Token is not { Length: > 0 } token)
            throw new BadInputException("token", "is required: the API token this gateway is configured with (actor-scheduler.gateway.token).");
        if (!new Engine.Security.ApiToken(settings.Token!).Matches(token))
        {
            using var lease = failures.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                logger.LogWarning("Dashboard sign-in: more than {Limit} wrong tokens in a minute; refusing sign-ins until the minute ends", FailedSignInsPerMinute);
                return ApiResults.Problem(StatusCodes.Status429TooManyRequests, "Too many wrong tokens in the last minute; try again in a minute.");
            }
            return ApiResults.Problem(StatusCodes.Status403Forbidden, "That is not the token this gateway is configured with.");
        }
        var (cookie, csrf, expires) = sessions.Issue();
        request.HttpContext.Response.Cookies.Append(DashboardSessions.CookieName(request), cookie, DashboardSessions.CookieOptions(request, expires));
        return ApiResults.Json(new SessionState(true, true, csrf, expires));
    }
}

internal sealed record SignInRequest(string? Token);

/// <summary>What <c>/dashboard/session</c> answers: whether a sign-in is needed and, once signed in, the CSRF token to repeat.</summary>
internal sealed record SessionState(bool TokenRequired, bool SignedIn, string? Csrf, DateTimeOffset? ExpiresAt);
