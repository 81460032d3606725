using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Gateway.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// The names the gateway answers to in the Host header. A web page can make a victim's browser send requests to
/// the API under a name of the page's own (DNS rebinding: attacker.example made to resolve to 127.0.0.1), and the
/// browser then lets the page read the answers; the Host header still says attacker.example, so only requests
/// naming the gateway itself are served:
/// <list type="bullet">
/// <item>bound to one address: that address as an IP literal; on loopback also localhost, 127.0.0.1 and [::1];</item>
/// <item>bound to every address (0.0.0.0 or ::, which require a token): any IP literal and localhost. An IP
/// literal is never looked up in DNS, so it cannot be rebound, and the gateway cannot know every address it is
/// reached by (other interfaces, NAT, a container's published port);</item>
/// <item>always: the <c>allowed-hosts</c> names, <c>*.example.com</c> for any subdomain, or <c>*</c> for any host
/// (only behind a proxy that checks Host itself).</item>
/// </list>
/// The port is not compared: a published or forwarded port differs from the bound one, and rebinding is about the
/// name. <c>/healthz</c> and <c>/readyz</c> answer whatever the Host: orchestrators probe them by whatever address
/// they know, and they reveal nothing about jobs.
/// ASP.NET Core's HostFiltering middleware matches names only (it has no "any IP literal") and answers with
/// text/html, so the check is this class; allowed-host patterns are matched by its <see cref="HostString.MatchesAny"/>.
/// </summary>
internal sealed partial class GatewayHostNames
{
    private const string AllowedHostsKey = "actor-scheduler.gateway.allowed-hosts";
    private const string Localhost = "localhost";

    private readonly IPAddress _bound;
    private readonly bool _anyAddress;
    private readonly StringSegment[] _allowed;

    public GatewayHostNames(IPAddress bound, IReadOnlyList<string> allowedHosts)
    {
        Check(allowedHosts);
        _bound = bound;
        _anyAddress = bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any);
        _allowed = [.. allowedHosts.Select(h => new StringSegment(h.Trim()))];
    }

    /// <exception cref="InvalidOperationException">An entry is not a host name, an IP literal or a <c>*.</c> pattern.</exception>
    public static void Check(IReadOnlyList<string> allowedHosts)
    {
        foreach (var entry in allowedHosts)
        {
            var name = entry.Trim();
            var pattern = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
            if (name != "*" && Uri.CheckHostName(pattern) == UriHostNameType.Unknown)
                throw new InvalidOperationException(
                    $"{AllowedHostsKey} entry '{entry}' must be a host name such as scheduler.example.com (no scheme, port or path), " +
                    "*.example.com for its subdomains, or * for any host.");
        }
    }

    public bool Accepts(HostString host)
    {
        var name = host.Host;
        if (name.Length == 0 || (host.Value!.Length > name.Length && host.Port is null))
            return false; // no Host at all (HTTP/1.0), or a port that is not a number
        if (TryReadAddress(name, out var address) && IsOwnAddress(address))
            return true;
        if (name.Equals(Localhost, StringComparison.OrdinalIgnoreCase) && (_anyAddress || IPAddress.IsLoopback(_bound)))
            return true;
        return HostString.MatchesAny(name, _allowed);
    }

    /// <summary>The names accepted, as a refusal lists them.</summary>
    public string Describe()
    {
        IEnumerable<string> own = _anyAddress ? ["any IP address", Localhost]
            : IPAddress.IsLoopback(_bound) ? new[] { Literal(_bound), Localhost, "127.0.0.1", "[::1]" }.Distinct()
            : [Literal(_bound)];
        return string.Join(", ", own.Concat(_allowed.Select(a => a.Value!)));
    }

    private bool IsOwnAddress(IPAddress address) =>
        _anyAddress || address.Equals(_bound) ||
        (IPAddress.IsLoopback(_bound) && (address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback)));

    /// <summary>
    /// An IP literal as a browser writes one in a URL: IPv6 in brackets, IPv4 as four decimal numbers. Other forms
    /// .NET would also parse ("127.1", "2130706433") are names here, and no such name is ours.
    /// </summary>
    private static bool TryReadAddress(string name, out IPAddress address)
    {
        address = IPAddress.None;
        if (name.StartsWith('[') && name.EndsWith(']'))
            return IPAddress.TryParse(name[1..^1], out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        return DottedQuad().IsMatch(name) && IPAddress.TryParse(name, out address!);
    }

    private static string Literal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}\z")]
    private static partial Regex DottedQuad();
}

internal static class HostCheck
{
    /// <summary>Refuses, with a 400 naming the Host header, every request but the probes whose Host is not one of <paramref name="names"/>.</summary>
    public static IApplicationBuilder UseHostCheck(this IApplicationBuilder app, GatewayHostNames names) =>
        app.Use((http, next) => IsProbe(http.Request.Path) || names.Accepts(http.Request.Host)
            ? next(http)
            : ApiResults.BadInput([new ValidationError("Host", $"'{http.Request.Host}' is not a name of this gateway ({names.Describe()}). " +
                "A request that reaches the API under another name is refused (DNS rebinding); list a name clients really use " +
                "in actor-scheduler.gateway.allowed-hosts.")]).ExecuteAsync(http));

    private static bool IsProbe(PathString path) =>
        path.Equals(HealthEndpoints.HealthPath, StringComparison.OrdinalIgnoreCase) ||
        path.Equals(HealthEndpoints.ReadyPath, StringComparison.OrdinalIgnoreCase);
}
