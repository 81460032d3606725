using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// The dashboard's sign-in when the API has a token. Signing in with the token yields a session cookie and a CSRF
/// token, both derived from the API token with HMAC-SHA256, so nothing is stored: every gateway of a cluster (they
/// share the token) accepts the cookie, and changing the token signs everyone out.
/// <list type="bullet">
/// <item>cookie <c>as_session_PORT</c> = <c>expiry.nonce.mac</c>: HttpOnly (no script reads it), SameSite=Strict (no other site
/// makes the browser send it), Secure on HTTPS (the gateway's own, or a TLS proxy's that says
/// <c>X-Forwarded-Proto: https</c>), valid until its expiry. Browsers share cookies between the ports of one host,
/// so the name carries the port: two gateways on one machine do not sign each other out;</item>
/// <item>CSRF token = MAC of the nonce: the page gets it from <c>/dashboard/session</c> and repeats it in the
/// <c>X-CSRF-Token</c> header of every change; a page of another origin can neither read it nor send that header
/// (CORS never allows it), on top of the Origin check and SameSite.</item>
/// </list>
/// Time comes from the <see cref="TimeProvider"/> handed in.
/// </summary>
internal sealed class DashboardSessions
{
    public const string CookiePrefix = "as_session_";
    public const string CsrfHeader = "X-CSRF-Token";

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public DashboardSessions(string token, TimeSpan lifetime, TimeProvider clock)
    {
        // A key of its own, so a MAC shown to the browser tells nothing about the token itself.
        _key = SHA256.HashData(Encoding.UTF8.GetBytes("actorscheduler-dashboard-session\n" + token));
        (_lifetime, _clock) = (lifetime, clock);
    }

    /// <summary>A new session: the cookie's value, its CSRF token and when it ends.</summary>
    public (string Cookie, string Csrf, DateTimeOffset Expires) Issue()
    {
        var expires = _clock.GetUtcNow() + _lifetime;
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(18));
        var stamp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"{stamp}.{nonce}.{Mac($"session|{stamp}|{nonce}")}", Mac("csrf|" + nonce), expires);
    }

    /// <summary>The session of the request's cookie when it is genuine and not expired: its CSRF token and expiry.</summary>
    public (string Csrf, DateTimeOffset Expires)? Read(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName(request), out var value) || value is null || value.Length > 256)
            return null;
        var parts = value.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            !Same(parts[2], Mac($"session|{parts[0]}|{parts[1]}")))
            return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        return expires > _clock.GetUtcNow() ? (Mac("csrf|" + parts[1]), expires) : null;
    }

    /// <summary>Whether the request repeats the session's CSRF token in <see cref="CsrfHeader"/>.</summary>
    public static bool CarriesCsrf(HttpRequest request, string csrf) =>
        request.Headers[CsrfHeader] is { Count: 1 } header && Same(header.ToString(), csrf);

    /// <summary>The session cookie's name for the port the request was sent to.</summary>
    public static string CookieName(HttpRequest request) => CookiePrefix + (request.Host.Port ?? (IsHttps(request) ? 443 : 80));

    public static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = IsHttps(request), Path = "/", Expires = expires, IsEssential = true,
    };

    /// <summary>
    /// HTTPS here or at a proxy in front. A client that claims a proxy's https falsely only gets a cookie its browser
    /// keeps off plain http: Secure can only narrow where the cookie goes.
    /// </summary>
    private static bool IsHttps(HttpRequest request) =>
        request.IsHttps || string.Equals(request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase);

    private string Mac(string text) => Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
