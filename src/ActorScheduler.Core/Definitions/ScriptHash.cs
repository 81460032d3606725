using System.Security.Cryptography;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// A deployed script's identity: the SHA-256 of its bytes, as 64 lowercase hex digits. A run names the hash, so what
/// runs is exactly what was deployed; a worker checks the bytes it fetched or cached against it before it runs them.
/// </summary>
public static class ScriptHash
{
    public const int Length = 64;

    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Whether <paramref name="hash"/> has the form of a hash: 64 lowercase hex digits.</summary>
    public static bool IsWellFormed(string? hash) =>
        hash is { Length: Length } && hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Whether <paramref name="content"/> is the script <paramref name="hash"/> names.</summary>
    public static bool Matches(ReadOnlySpan<byte> content, string hash) =>
        IsWellFormed(hash) && CryptographicOperations.FixedTimeEquals(SHA256.HashData(content), Convert.FromHexString(hash));
}
