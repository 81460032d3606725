using System.Net;

namespace ActorScheduler.Runners.Http;

/// <summary>
/// Where HTTP jobs may connect (worker configuration, not job data), so a job cannot make the worker call its
/// own cluster, its network neighbours or the cloud's metadata service for it. Public addresses are allowed;
/// loopback and private networks only when allowed, by kind (<see cref="AllowLoopback"/>,
/// <see cref="AllowPrivateNetworks"/>) or by network (<see cref="AllowedNetworks"/>); link-local, cloud
/// metadata and non-unicast addresses never. <see cref="HttpRunner"/> checks every hop of a redirect chain and
/// the address it actually connects to, so a name that resolves (or re-resolves) to a refused address is refused.
/// </summary>
/// <remarks>
/// IPv4 written inside IPv6 (::ffff:127.0.0.1, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged as the IPv4 address.
/// </remarks>
public sealed class HttpDestinationPolicy
{
    /// <summary>Public addresses only: the default.</summary>
    public static HttpDestinationPolicy PublicOnly { get; } = new();

    /// <summary>127.0.0.0/8, ::1 and the unspecified addresses (0.0.0.0/8, ::), which reach this host too.</summary>
    public bool AllowLoopback { get; init; }

    /// <summary>RFC 1918, shared (100.64.0.0/10), unique-local (fc00::/7) and other non-public unicast ranges.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>
    /// Networks in CIDR form ("10.20.0.0/16", "fd12:3456::/48") or single addresses that are allowed although
    /// loopback or private. Never overrides the always-refused link-local and metadata addresses.
    /// </summary>
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    private IPNetwork[]? parsedNetworks;

    private IPNetwork[] Networks => parsedNetworks ??= AllowedNetworks
        .Select(entry => TryParseNetwork(entry, out var network) ? network : (IPNetwork?)null)
        .OfType<IPNetwork>()
        .ToArray();

    /// <summary>Configuration mistakes, one sentence each; empty when the policy is usable.</summary>
    public IReadOnlyList<string> Problems() => AllowedNetworks
        .Where(entry => !TryParseNetwork(entry, out _))
        .Select(entry => $"AllowedNetworks entry '{entry}' is not an address or a network in CIDR form (e.g. 10.20.0.0/16).")
        .ToList();

    /// <summary>One line for the start-up log.</summary>
    public string Describe()
    {
        var allowed = new List<string> { "public addresses" };
        if (AllowLoopback) allowed.Add("loopback");
        if (AllowPrivateNetworks) allowed.Add("private networks");
        allowed.AddRange(AllowedNetworks);
        return $"http: destinations allowed: {string.Join(", ", allowed)}; link-local and cloud metadata never";
    }

    /// <returns>Why a job may not call <paramref name="host"/> (a URL's host), or null when only its addresses can tell.</returns>
    internal string? RefusalForHost(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (MetadataNames.Contains(name)) return $"{name} is a cloud metadata host name, never allowed";
        return IPAddress.TryParse(name, out var address) ? RefusalFor(address) is { } rule ? $"{address} is {rule}" : null : null;
    }

    /// <returns>Why a connection to <paramref name="address"/> is refused, as "a … address …", or null when allowed.</returns>
    internal string? RefusalFor(IPAddress address)
    {
        var judged = AddressKinds.Unwrap(address);
        return AddressKinds.Classify(judged) switch
        {
            AddressKind.Public => null,
            AddressKind.Loopback when AllowLoopback || IsListed(judged) => null,
            AddressKind.PrivateNetwork when AllowPrivateNetworks || IsListed(judged) => null,
            AddressKind.Loopback =>
                "a loopback address; this worker allows those only with actor-scheduler.worker.http.allow-loopback or a matching allowed-networks entry",
            AddressKind.PrivateNetwork =>
                "a private-network address; this worker allows those only with actor-scheduler.worker.http.allow-private-networks or a matching allowed-networks entry",
            AddressKind.CloudMetadata => "a cloud metadata address, never allowed",
            AddressKind.LinkLocal => "a link-local address, never allowed",
            _ => "not a unicast address, never allowed",
        };
    }

    private static readonly HashSet<string> MetadataNames = new(StringComparer.Ordinal) { "metadata.google.internal", "metadata" };

    private bool IsListed(IPAddress address) => Networks.Any(network => network.Contains(address));

    private static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        var text = entry?.Trim() ?? "";
        if (IPAddress.TryParse(text, out var single) && !text.Contains('/'))
        {
            network = new IPNetwork(single, single.GetAddressBytes().Length * 8);
            return true;
        }
        return IPNetwork.TryParse(text, out network);
    }
}
