using System.Security.Cryptography;
using System.Text;
using ActorScheduler.Core;

namespace ActorScheduler.Engine.Security;

/// <summary>What a run token says: the run, the fencing token it runs under, and the worker that runs it.</summary>
public sealed record RunTokenClaims(RunId RunId, long FencingToken, string Worker);

/// <summary>
/// Run-scoped tokens (SCHEDULER_RUN_TOKEN): <c>ast1.&lt;claims&gt;.&lt;HMAC-SHA256&gt;</c>, base64url. A worker issues
/// one per run; the gateway checks the signature, then asks the run's worker whether the run still runs under that
/// fencing token — so a token works only while its run lives, and only for that run (its progress, emitted events,
/// log lines) and for work queues. The key is derived from the cluster's API token, so every node of a cluster
/// issues and checks the same tokens and changing the API token voids them all; without an API token (the loopback
/// all-in-one) the key is this process's own.
/// </summary>
public sealed class RunTokens
{
    private const string Prefix = "ast1.";

    private static readonly Lazy<RunTokens> ProcessOwn = new(() => new RunTokens(RandomNumberGenerator.GetBytes(32)));

    private readonly byte[] _key;

    private RunTokens(byte[] key) => _key = key;

    public static RunTokens For(string? apiToken) =>
        apiToken is { Length: > 0 }
            ? new RunTokens(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiToken), "actor-scheduler run token v1"u8))
            : ProcessOwn.Value;

    public static bool LooksLike(string? bearer) => bearer?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public string Issue(RunId runId, long fencingToken, string worker)
    {
        var claims = Encoding.UTF8.GetBytes($"{runId}\n{fencingToken}\n{worker}");
        return Prefix + Base64Url(claims) + "." + Base64Url(HMACSHA256.HashData(_key, claims));
    }

    /// <returns>The claims of a token this cluster signed; null for anything else.</returns>
    public RunTokenClaims? Read(string? token)
    {
        if (!LooksLike(token) || token!.Split('.') is not [_, var claimsText, var signatureText])
            return null;
        try
        {
            var claims = Convert.FromBase64String(Padded(claimsText));
            if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, claims), Convert.FromBase64String(Padded(signatureText))))
                return null;
            return Encoding.UTF8.GetString(claims).Split('\n') is [var run, var fencing, var worker] &&
                   RunId.TryParse(run, out var runId) && long.TryParse(fencing, out var fencingToken)
                ? new RunTokenClaims(runId, fencingToken, worker)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Padded(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
    }
}
