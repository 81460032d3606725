using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Akka.Actor;

namespace ActorScheduler.Lighthouse;

/// <summary>
/// What the lighthouse reads from its environment, checked once at start-up: a bad value is an
/// <see cref="ArgumentException"/> whose message names the variable and what it expects.
/// </summary>
/// <param name="SystemName">ACTORSYSTEM: the actor system every member of the cluster shares.</param>
/// <param name="Hostname">CLUSTER_IP, with <c>auto</c> already resolved to an address.</param>
/// <param name="Port">CLUSTER_PORT.</param>
/// <param name="Seeds">CLUSTER_SEEDS, or this node's own address when none are given.</param>
public sealed record LighthouseSettings(string SystemName, string Hostname, int Port, IReadOnlyList<string> Seeds)
{
    public const string DefaultSystemName = "actor-scheduler";
    public const string DefaultHostname = "127.0.0.1";
    public const int DefaultPort = 4053;

    /// <summary>The CLUSTER_IP value that stands for this host's first non-loopback IPv4 address.</summary>
    public const string AutoAddress = "auto";

    public string SelfAddress => $"akka.tcp://{SystemName}@{Hostname}:{Port}";

    /// <param name="environment">The variables (passed in so that tests need not change the process's own).</param>
    /// <param name="autoAddress">Resolves CLUSTER_IP=auto; null means no address was found. Default: <see cref="FirstNonLoopbackIPv4"/>.</param>
    public static LighthouseSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment, Func<string?>? autoAddress = null)
    {
        var systemName = Read(environment, "ACTORSYSTEM") ?? DefaultSystemName;
        if (!IsActorSystemName(systemName))
            throw new ArgumentException($"ACTORSYSTEM must start with a letter or digit and hold only letters, digits, '-' and '_'; got '{systemName}'.");

        var hostname = Read(environment, "CLUSTER_IP") ?? DefaultHostname;
        if (hostname.Equals(AutoAddress, StringComparison.OrdinalIgnoreCase))
            hostname = (autoAddress ?? FirstNonLoopbackIPv4)()
                ?? throw new ArgumentException("CLUSTER_IP=auto: this host has no non-loopback IPv4 address; set CLUSTER_IP to an address or host name.");

        var portText = Read(environment, "CLUSTER_PORT");
        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
            throw new ArgumentException($"CLUSTER_PORT must be a port number from 1 to 65535; got '{portText}'.");

        var settings = new LighthouseSettings(systemName, hostname, port, []);
        var seedsText = Read(environment, "CLUSTER_SEEDS");
        var seeds = seedsText?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        foreach (var seed in seeds)
            CheckSeed(seed, systemName);
        return settings with { Seeds = seeds.Length > 0 ? seeds : [settings.SelfAddress] };
    }

    /// <summary>The address a container is reached at on its network; null when the host has only loopback.</summary>
    public static string? FirstNonLoopbackIPv4() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?.ToString();

    private static string? Read(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.GetValueOrDefault(name) is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static bool IsActorSystemName(string name) =>
        char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static void CheckSeed(string seed, string systemName)
    {
        var expected = $"expected akka.tcp://{systemName}@host:port";
        Address address;
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new ArgumentException($"CLUSTER_SEEDS: '{seed}' is not a cluster address ({expected}).");
        }
        if (address.Protocol != "akka.tcp" || string.IsNullOrEmpty(address.Host) || address.Port is not (> 0 and <= 65535))
            throw new ArgumentException($"CLUSTER_SEEDS: '{seed}' is not a cluster address ({expected}).");
        if (address.System != systemName)
            throw new ArgumentException($"CLUSTER_SEEDS: '{seed}' names actor system '{address.System}' but ACTORSYSTEM is '{systemName}' (a node joins only its own system).");
    }
}
