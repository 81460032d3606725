using System.Globalization;

namespace ActorScheduler.Runners;

/// <summary>
/// The facts that identify an attempt to the program it runs, so downstream systems can de-duplicate and
/// refuse stale attempts by fencing token: SCHEDULER_* variables for shell runs, X-Scheduler-* headers for HTTP.
/// </summary>
internal static class RunIdentity
{
    public static IEnumerable<(string Name, string Value)> Of(RunRequest request)
    {
        yield return ("Job-Id", request.JobId.Value);
        yield return ("Run-Id", request.RunId.ToString());
        yield return ("Attempt", request.Attempt.ToString(CultureInfo.InvariantCulture));
        yield return ("Scheduled-For", IsoUtc(request.ScheduledFor));
        yield return ("Fencing-Token", request.FencingToken.ToString(CultureInfo.InvariantCulture));
        yield return ("Chain-Depth", request.ChainDepth.ToString(CultureInfo.InvariantCulture));
    }

    public static IEnumerable<(string Name, string Value)> EnvironmentVariables(RunRequest request) =>
        Of(request).Select(fact => ("SCHEDULER_" + fact.Name.ToUpperInvariant().Replace('-', '_'), fact.Value));

    public static IEnumerable<(string Name, string Value)> Headers(RunRequest request) =>
        Of(request).Select(fact => ("X-Scheduler-" + fact.Name, fact.Value));

    /// <summary>The contract's time format: ISO 8601 in UTC with a Z, as Core writes times.</summary>
    public static string IsoUtc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
