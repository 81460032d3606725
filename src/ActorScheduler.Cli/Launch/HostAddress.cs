using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorScheduler.Cli.Launch;

/// <summary>
/// Where the command host listens, kept as the user wrote it (<see cref="Text"/>) for the prompt and messages.
/// IPv6 literals come in brackets (<c>[::1]:9110</c>), as in URLs, so the port stays unambiguous.
/// </summary>
internal sealed partial record HostAddress(string Host, int Port, string Text)
{
    /// <summary>The command host's default port (pbm's, so operators who know one know the other).</summary>
    public const int DefaultPort = 9110;

    public static HostAddress Default { get; } = new("127.0.0.1", DefaultPort, $"127.0.0.1:{DefaultPort}");

    /// <summary>True for <c>host:port</c>, <c>1.2.3.4:port</c> and <c>[v6]:port</c>; the port is required.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out HostAddress? address)
    {
        address = null;
        var match = HostAndPort().Match(text);
        if (!match.Success)
            return false;
        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535)
            return false;
        var host = match.Groups["v6"].Success ? match.Groups["v6"].Value : match.Groups["name"].Value;
        address = new HostAddress(host, port, text);
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, but a bare host name takes <see cref="DefaultPort"/> (for SCHEDCTL_HOST).</summary>
    public static bool TryParseWithDefaultPort(string text, [NotNullWhen(true)] out HostAddress? address)
    {
        if (TryParse(text, out address))
            return true;
        var bare = text.StartsWith('[') && text.EndsWith(']') ? text : HostName().IsMatch(text) ? text : null;
        return bare is not null && TryParse($"{bare}:{DefaultPort}", out address);
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"^(?:\[(?<v6>[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?)\]|(?<name>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)):(?<port>[0-9]{1,5})$")]
    private static partial Regex HostAndPort();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")]
    private static partial Regex HostName();
}
