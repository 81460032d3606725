using System.Globalization;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Launch;

/// <summary>What schedctl needs before it can connect, and the arguments left for the host's palettes.</summary>
internal sealed record LaunchSettings(HostAddress Host, string? Token, TimeSpan Timeout, IReadOnlyList<string> Rest);

/// <summary>
/// The first pass over the command line. The parser for everything else is built from the palettes the host
/// advertises, so the connection settings (host, token, timeout) have to be found before there is a parser: they
/// are taken out here, wherever they stand, and the rest is left in order.
/// </summary>
internal static class LaunchArguments
{
    /// <summary>
    /// Longer than a node's own ask timeout (actor-scheduler.gateway.ask-timeout, 30 s), so that a member that does
    /// not answer is reported by the node, with its reason, rather than guessed at here.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(40);

    public const string TokenVariable = "SCHEDCTL_TOKEN";
    public const string HostVariable = "SCHEDCTL_HOST";

    /// <exception cref="UsageException">A connection option lacks its value or has a bad one.</exception>
    public static LaunchSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? token = null, tokenFile = null, timeout = null;
        HostAddress? host = null;
        var rest = new List<string>();
        var beforePalette = true;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }
            if (TakeValue(args, ref i, "--token", ref token) || TakeValue(args, ref i, "--token-file", ref tokenFile) ||
                TakeValue(args, ref i, "--timeout", ref timeout))
                continue;
            // Only the first word before the palette can be the host: later words are values (a job id, a time)
            // that may well contain a colon.
            if (beforePalette && host is null && !arg.StartsWith('-') && HostAddress.TryParse(arg, out var given))
            {
                host = given;
                continue;
            }
            beforePalette &= arg.StartsWith('-');
            rest.Add(arg);
        }
        return new LaunchSettings(host ?? HostFromEnvironment(environment), Token(token, tokenFile, environment), Timeout(timeout), rest);
    }

    private static bool TakeValue(IReadOnlyList<string> args, ref int i, string option, ref string? value)
    {
        var arg = args[i];
        if (arg.StartsWith(option + "=", StringComparison.Ordinal))
            value = arg[(option.Length + 1)..];
        else if (arg == option)
            value = i + 1 < args.Count ? args[++i] : throw new UsageException($"{option} needs a value.");
        else
            return false;
        return true;
    }

    private static HostAddress HostFromEnvironment(Func<string, string?> environment)
    {
        var text = environment(HostVariable);
        if (string.IsNullOrWhiteSpace(text))
            return HostAddress.Default;
        return HostAddress.TryParseWithDefaultPort(text.Trim(), out var host)
            ? host
            : throw new UsageException($"{HostVariable}='{text}' is not a host:port such as 127.0.0.1:9110 or [::1]:9110.");
    }

    private static string? Token(string? token, string? tokenFile, Func<string, string?> environment)
    {
        if (token is not null && tokenFile is not null)
            throw new UsageException("Give the token with --token or with --token-file, not both.");
        if (tokenFile is not null)
            return ReadTokenFile(tokenFile);
        var found = token ?? environment(TokenVariable);
        return string.IsNullOrWhiteSpace(found) ? null : found.Trim();
    }

    private static string ReadTokenFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"Cannot read the token file '{path}': {e.Message}");
        }
        return text.Length > 0 ? text : throw new UsageException($"The token file '{path}' is empty.");
    }

    private static TimeSpan Timeout(string? text)
    {
        if (text is null)
            return DefaultTimeout;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--timeout expects seconds between 0 and 86400, such as 30; got '{text}'.");
    }
}
