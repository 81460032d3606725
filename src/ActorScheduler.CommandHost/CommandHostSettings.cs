using System.Net;

namespace ActorScheduler.CommandHost;

/// <summary>
/// Where the command host listens and who may use it (<c>actor-scheduler.cmd</c> on nodes, <c>CMD_*</c> on the
/// lighthouse). Off loopback a token is required, as for the HTTP gateway: the host can down members and stop jobs.
/// </summary>
/// <param name="Token">What a client must present; null means none (loopback only).</param>
/// <param name="MaxConnections">Clients connected at once; one more is told the host is busy (and it is logged).</param>
/// <param name="LogBufferSize">Log lines the node keeps in memory for <c>log peek</c>, <c>log tail</c> and <c>workers log</c>.</param>
public sealed record CommandHostSettings(bool Enabled, string Host, int Port, string? Token, int MaxConnections, int LogBufferSize)
{
    public const int MinTokenLength = 32;

    /// <summary>Requests a connection may run at once (a tail and a few one-shot commands beside it).</summary>
    public const int MaxRequestsPerConnection = 4;

    /// <summary>How long a client has to say hello after connecting.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Clients connected but not yet through the handshake; more are turned away (and it is logged).</summary>
    public const int MaxHandshakes = 32;

    /// <summary>A client that takes longer than this to accept one frame is taken to be gone.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    public bool IsLoopback =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>What is wrong with these settings, or null: a port out of range, or no (long enough) token off loopback.</summary>
    public string? Problem(string tokenHint)
    {
        if (!Enabled)
            return null;
        if (Port is < 0 or > 65535)
            return $"The command host's port must be from 0 to 65535; got {Port}.";
        if (MaxConnections < 1 || LogBufferSize < 1)
            return "The command host's max-connections and log-buffer-size must be at least 1.";
        if (!IsLoopback && !IPAddress.TryParse(Host.Trim('[', ']'), out _))
            return $"The command host binds to an IP address or localhost; '{Host}' is neither (0.0.0.0 listens on every address).";
        if (Token is { Length: < MinTokenLength })
            return TooShort(Token, tokenHint);
        return Token is null && !IsLoopback
            ? $"The command host on {Host}:{Port} can be reached from other machines and needs a token: {tokenHint}. " +
              "Or keep it on loopback (host = 127.0.0.1), or disable it (enabled = off)."
            : null;
    }

    private static string TooShort(string token, string hint) =>
        $"The command host's token must have at least {MinTokenLength} characters (this one has {token.Length}); make one with: openssl rand -hex 32 ({hint}).";
}
