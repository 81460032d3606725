namespace ActorScheduler.Engine.Protocol;

/// <summary>
/// Asks a node that holds the script table (<c>/user/deployed-scripts</c> on scheduler and gateway nodes) for a slice of a
/// deployed script's bytes from byte <paramref name="Offset"/>; a worker reads a script slice by slice, each well under
/// the cluster transport's frame size.
/// </summary>
public sealed record FetchDeployedScript(string Sha256, int Offset);

/// <summary>The answer to <see cref="FetchDeployedScript"/>: <paramref name="Found"/> false when no script has the hash.</summary>
/// <param name="Size">The script's whole length in bytes.</param>
public sealed record DeployedScriptChunk(string Sha256, bool Found, long Size, int Offset, byte[] Bytes)
{
    /// <summary>Bytes one answer carries at most (base64 in JSON stays below Akka's default 128,000-byte frame).</summary>
    public const int MaxBytes = 64 * 1024;
}
