using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ActorScheduler.Client.Transport;
using ActorScheduler.CommandHost;
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
/// <param name="Tls">CLUSTER_TLS_CERTIFICATE (with CLUSTER_TLS_PASSWORD, CLUSTER_TLS_TRUSTED): the cluster's certificate, or none.</param>
/// <param name="AllowInsecure">CLUSTER_ALLOW_INSECURE=on: listen beyond loopback without TLS (an isolated network only).</param>
/// <param name="Cmd">The command host (schedctl): CMD_ENABLED, CMD_HOST, CMD_PORT, CMD_TOKEN_FILE; default on, 127.0.0.1:9110.</param>
public sealed record LighthouseSettings(
    string SystemName, string Hostname, int Port, IReadOnlyList<string> Seeds, ClusterTls? Tls = null, bool AllowInsecure = false,
    CommandHostSettings? Cmd = null)
{
    public const string CmdTokenHint = "set CMD_TOKEN_FILE to a file whose first line is the token";

    public const string DefaultSystemName = "actor-scheduler";
    public const string DefaultHostname = "127.0.0.1";
    public const int DefaultPort = 4053;

    /// <summary>The command host's port unless CMD_PORT says otherwise (pbm's).</summary>
    public const int CommandPort = 9110;

    /// <summary>The CLUSTER_IP value that stands for this host's first non-loopback IPv4 address.</summary>
    public const string AutoAddress = "auto";

    public string SelfAddress => ClusterTls.Address(Tls is not null, SystemName, Hostname, Port);

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

        var tls = Read(environment, "CLUSTER_TLS_CERTIFICATE") is { } certificate
            ? new ClusterTls(Path.GetFullPath(certificate), Read(environment, "CLUSTER_TLS_PASSWORD") ?? "",
                Read(environment, "CLUSTER_TLS_TRUSTED")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
            : null;
        var allowInsecure = Read(environment, "CLUSTER_ALLOW_INSECURE") is { } insecure && insecure.ToLowerInvariant() is "on" or "true" or "yes" or "1";
        if (tls is null && !allowInsecure && !IsLoopback(hostname))
            throw new ArgumentException(
                $"CLUSTER_IP {hostname} can be reached from other machines, and without TLS anyone reaching the port could join the cluster: " +
                "set CLUSTER_TLS_CERTIFICATE (and CLUSTER_TLS_PASSWORD; scripts/dev-cert makes one for development), or on an isolated, " +
                "trusted network only set CLUSTER_ALLOW_INSECURE=on.");
        var settings = new LighthouseSettings(systemName, hostname, port, [], tls, allowInsecure);
        var seedsText = Read(environment, "CLUSTER_SEEDS");
        var seeds = seedsText?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        foreach (var seed in seeds)
            CheckSeed(seed, systemName, tls is null ? ClusterTls.PlainScheme : ClusterTls.Scheme);
        return settings with { Seeds = seeds.Length > 0 ? seeds : [settings.SelfAddress], Cmd = ReadCmd(environment) };
    }

    private static CommandHostSettings ReadCmd(IReadOnlyDictionary<string, string?> environment)
    {
        var enabled = Read(environment, "CMD_ENABLED")?.ToLowerInvariant() is not ("off" or "false" or "no" or "0");
        var portText = Read(environment, "CMD_PORT");
        var port = CommandPort;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 0 or > 65535))
            throw new ArgumentException($"CMD_PORT must be a port number from 0 to 65535; got '{portText}'.");
        string? token = null;
        if (Read(environment, "CMD_TOKEN_FILE") is { } file)
        {
            try
            {
                token = File.ReadLines(file).FirstOrDefault()?.Trim() is { Length: > 0 } line
                    ? line
                    : throw new ArgumentException($"CMD_TOKEN_FILE {file} is empty: its first line must be the token.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"CMD_TOKEN_FILE {file} cannot be read: {e.Message}");
            }
        }
        var cmd = new CommandHostSettings(enabled, Read(environment, "CMD_HOST") ?? DefaultHostname, port, token, 16, 2000);
        return cmd.Problem(CmdTokenHint) is { } problem ? throw new ArgumentException($"CMD_*: {problem}") : cmd;
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

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static void CheckSeed(string seed, string systemName, string scheme)
    {
        var expected = $"expected {scheme}://{systemName}@host:port";
        Address address;
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new ArgumentException($"CLUSTER_SEEDS: '{seed}' is not a cluster address ({expected}).");
        }
        if (address.Protocol != scheme || string.IsNullOrEmpty(address.Host) || address.Port is not (> 0 and <= 65535))
            throw new ArgumentException($"CLUSTER_SEEDS: '{seed}' is not a cluster address ({expected}).");
        if (address.System != systemName)
            throw new ArgumentException($"CLUSTER_SEEDS: '{seed}' names actor system '{address.System}' but ACTORSYSTEM is '{systemName}' (a node joins only its own system).");
    }
}
