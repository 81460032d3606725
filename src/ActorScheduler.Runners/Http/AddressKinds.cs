using System.Net;
using System.Net.Sockets;

namespace ActorScheduler.Runners.Http;

internal enum AddressKind
{
    Public,
    Loopback,
    PrivateNetwork,
    LinkLocal,
    CloudMetadata,
    NotUnicast,
}

/// <summary>What kind of destination an IP address is, from the IANA special-purpose registries.</summary>
internal static class AddressKinds
{
    // AWS, Azure, GCP, DigitalOcean (169.254.169.254), AWS ECS tasks, AWS IPv6, Alibaba, Oracle Cloud.
    private static readonly IPAddress[] CloudMetadata =
        [.. new[] { "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192" }.Select(IPAddress.Parse)];

    private static readonly IPNetwork[] LinkLocal = Networks("169.254.0.0/16", "fe80::/10");

    // 0.0.0.0 and :: mean "this host" when connected to.
    private static readonly IPNetwork[] Loopback = Networks("127.0.0.0/8", "0.0.0.0/8", "::1/128", "::/128");

    private static readonly IPNetwork[] NotUnicast = Networks(
        "224.0.0.0/4", "240.0.0.0/4", "ff00::/8",
        "::/8"); // IPv4-compatible and other reserved forms; ::, ::1 and ::ffff:0:0/96 are judged before

    private static readonly IPNetwork[] PrivateNetworks = Networks(
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // RFC 1918
        "100.64.0.0/10",                                  // shared address space (carrier-grade NAT)
        "192.0.0.0/24", "198.18.0.0/15",                  // protocol assignments, benchmarking
        "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", // documentation
        "fc00::/7", "fec0::/10",                          // unique local, old site local
        "64:ff9b:1::/48", "100::/64", "2001:2::/48");    // local-use NAT64, discard-only, benchmarking

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), else the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)) return new IPAddress(bytes[12..16]);
        if (SixToFour.Contains(address)) return new IPAddress(bytes[2..6]);
        return address;
    }

    /// <param name="address">Already <see cref="Unwrap"/>ped.</param>
    public static AddressKind Classify(IPAddress address)
    {
        // fe80::1%eth0 is still fe80::1; the zone would only make the comparisons below miss.
        var plain = address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
        if (CloudMetadata.Contains(plain)) return AddressKind.CloudMetadata;
        if (In(LinkLocal, plain)) return AddressKind.LinkLocal;
        if (In(Loopback, plain)) return AddressKind.Loopback;
        if (In(NotUnicast, plain)) return AddressKind.NotUnicast;
        if (In(PrivateNetworks, plain)) return AddressKind.PrivateNetwork;
        return AddressKind.Public;
    }

    private static bool In(IPNetwork[] networks, IPAddress address) => networks.Any(network => network.Contains(address));

    private static IPNetwork[] Networks(params string[] cidrs) => [.. cidrs.Select(IPNetwork.Parse)];
}
