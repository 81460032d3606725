using System.Net;
using System.Text;
using System.Text.Json;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Runners.Http;

/// <summary>
/// One request of an HTTP run: the first from the spec, each further one from a redirect. A request message can
/// be sent only once, so every hop builds its own from these parts.
/// </summary>
internal sealed record HttpHop(
    int Redirects, Uri Url, string Method, string? JsonBody, IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<(string Name, string Value)> Identity)
{
    // Credentials meant for one origin; fetch (and curl) drop them when a redirect leaves it.
    private static readonly string[] OriginBoundHeaders = ["Authorization", "Proxy-Authorization", "Cookie"];

    /// <returns>The first hop, or the error in the spec that ends the run before anything is sent.</returns>
    public static (HttpHop? Hop, string? Error) First(RunRequest request, HttpRunSpec spec)
    {
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || !IsHttp(url))
            return (null, $"run.http.url '{spec.Url}' is not an absolute http or https URL");
        var hasBody = spec.Body is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) };
        var method = string.IsNullOrWhiteSpace(spec.Method) ? (hasBody ? "POST" : "GET") : spec.Method.Trim().ToUpperInvariant();
        if (!IsToken(method)) return (null, $"run.http.method '{spec.Method}' is not an HTTP method");
        var hop = new HttpHop(0, url, method, hasBody ? spec.Body!.Value.GetRawText() : null,
            (spec.Headers ?? new Dictionary<string, string>()).ToList(), RunIdentity.Headers(request).ToList());
        using var probe = new HttpRequestMessage(new HttpMethod(method), url) { Content = hop.Content() };
        foreach (var (name, value) in hop.Headers)
            if (!TryAddHeader(probe, name, value))
                return (null, IsValidHeader(name, value)
                    ? $"run.http.headers '{name}' is a content header and needs a body"
                    : $"run.http.headers '{name}' is not a valid header name and value");
        return (hop, null);
    }

    /// <summary>How the run's error names this hop.</summary>
    public string Describe() => Redirects == 0 ? $"destination {Url}" : $"redirect {Redirects} to {Url}";

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url) { Content = Content() };
        // First checked every header; one fails here only as a content header whose body a redirect dropped.
        foreach (var (name, value) in Headers) TryAddHeader(message, name, value);
        foreach (var (name, value) in Identity)
        {
            message.Headers.Remove(name); // the run's own identity wins over a job header of the same name
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    /// <returns>
    /// The hop a redirect answer points to, or null when the answer is final (not a redirect status, or no
    /// Location). 301 and 302 turn POST into GET, 303 turns everything but HEAD into GET, both without the
    /// body; 307 and 308 repeat method and body.
    /// </returns>
    public HttpHop? Follow(HttpResponseMessage response)
    {
        if (response.Headers.Location is not { } location) return null;
        var (method, body) = response.StatusCode switch
        {
            HttpStatusCode.MovedPermanently or HttpStatusCode.Found when Method == "POST" => ("GET", null),
            HttpStatusCode.MovedPermanently or HttpStatusCode.Found => (Method, JsonBody),
            HttpStatusCode.SeeOther => (Method == "HEAD" ? "HEAD" : "GET", (string?)null),
            HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect => (Method, JsonBody),
            _ => ((string?)null, (string?)null),
        };
        if (method is null) return null;
        var next = location.IsAbsoluteUri ? location : new Uri(Url, location);
        var headers = SameOrigin(Url, next)
            ? Headers
            : Headers.Where(header => !OriginBoundHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase)).ToList();
        return new HttpHop(Redirects + 1, next, method, body, headers, Identity);
    }

    /// <returns>Why a redirect to this hop is not followed, whatever the address policy says; null when it may be.</returns>
    public string? SchemeRefusal(HttpHop previous) =>
        !IsHttp(Url) ? "only http and https destinations are followed"
        : previous.Url.Scheme == Uri.UriSchemeHttps && Url.Scheme == Uri.UriSchemeHttp ? "it would leave https for plain http"
        : null;

    private HttpContent? Content() =>
        JsonBody is null ? null : new StringContent(JsonBody, Encoding.UTF8, "application/json");

    private static bool IsHttp(Uri url) => url.Scheme is "http" or "https";

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>Content headers such as Content-Type go on the body, replacing its default.</summary>
    private static bool TryAddHeader(HttpRequestMessage message, string name, string value)
    {
        if (!IsValidHeader(name, value)) return false;
        if (message.Headers.TryAddWithoutValidation(name, value)) return true;
        if (message.Content is not { } content) return false;
        content.Headers.Remove(name);
        return content.Headers.TryAddWithoutValidation(name, value);
    }

    private static bool IsValidHeader(string name, string? value) =>
        value is not null && IsToken(name) && !value.Any(c => c is '\r' or '\n' or '\0');

    // RFC 9110 token characters: what a method or a header name may consist of.
    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
