using System.Security.Cryptography;
using System.Text;

namespace ActorScheduler.Engine.Security;

/// <summary>
/// The API token a caller must present (HTTP bearer token, embedded client calls). Both sides are hashed to a fixed
/// length before a constant-time comparison, so neither where a guess first differs nor the token's length shows in
/// the time an answer takes.
/// </summary>
public sealed class ApiToken(string token)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
}
