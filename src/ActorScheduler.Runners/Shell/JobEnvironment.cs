using System.Text.Json;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Runners.Shell;

/// <summary>
/// The environment a job's process starts with. Not the worker's own, which holds its secrets (the gateway
/// token, database passwords): only <see cref="Inherited"/> and the names the worker's configuration passes
/// through (<see cref="ShellRunnerOptions.PassEnvironment"/>) are copied from it, when set; then the job's env,
/// once <see cref="ShellEnvironmentRules"/> allow it; then the SCHEDULER_* variables of the run.
/// </summary>
internal static class JobEnvironment
{
    /// <summary>What programs expect to find; taken from the worker's environment when it has them.</summary>
    public static readonly IReadOnlyList<string> Inherited = ["PATH", "HOME", "LANG", "TZ"];

    /// <returns>
    /// The error that refuses the run, in the gateway's words ("run.shell.env.LD_PRELOAD: may not be set by a job:
    /// …", every refused variable named), or null when the env may be used. A worker that limits what jobs run
    /// also keeps PATH, HOME and XDG_* for itself: they decide which programs a script's <c>#!/usr/bin/env</c> and
    /// its commands start, and which configuration files (that may hold commands) programs read.
    /// </returns>
    public static string? Refusal(ShellRunSpec spec, ShellPolicy policy)
    {
        var errors = ShellEnvironmentRules.Validate(spec.Env).Select(error => error.ToString());
        if (!policy.AllowAnyCommand)
            errors = errors.Concat((spec.Env?.Keys ?? []).Where(KeptByALimitingWorker).Order(StringComparer.Ordinal)
                .Select(name => $"run.shell.env.{name}: may not be set on this worker: it limits what jobs run, and {name} decides which programs and configuration files they use."));
        return errors.ToList() is { Count: > 0 } all ? string.Join(" ", all) : null;
    }

    private static bool KeptByALimitingWorker(string name) =>
        name is "PATH" or "HOME" || name.StartsWith("XDG_", StringComparison.Ordinal);

    /// <param name="workerVariable">Reads the worker's own environment (a parameter so specs can stand in for it).</param>
    public static IReadOnlyDictionary<string, string> Build(
        RunRequest request, ShellRunSpec spec, IEnumerable<string> passEnvironment, Func<string, string?> workerVariable, ScriptApi? scriptApi = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited.Concat(passEnvironment))
            if (workerVariable(name) is { } value)
                environment[name] = value;
        foreach (var (name, value) in spec.Env ?? new Dictionary<string, string>())
        {
            // A null value in the job's JSON unsets a name the worker would otherwise pass on.
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
        foreach (var (name, value) in RunIdentity.EnvironmentVariables(request).Concat(ScriptApiVariables.Of(scriptApi, request)))
            environment[name] = value;
        environment[ShellEnvironmentRules.SchedulerPrefix + "DATA"] =
            request.Data is { ValueKind: not JsonValueKind.Undefined } data ? data.GetRawText() : "null";
        // A process environment cannot hold NUL, which a previous run's output may.
        environment[ShellEnvironmentRules.SchedulerPrefix + "LAST_RESULT"] = request.LastResult?.Replace("\0", "", StringComparison.Ordinal) ?? "";
        return environment;
    }

    /// <summary>Configuration mistakes in a pass-through list, one sentence each.</summary>
    public static IEnumerable<string> Problems(IEnumerable<string> passEnvironment)
    {
        foreach (var name in passEnvironment)
            if (!ShellEnvironmentRules.IsValidName(name))
                yield return $"PassEnvironment entry '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a valid variable name.";
            else if (name.StartsWith(ShellEnvironmentRules.SchedulerPrefix, StringComparison.Ordinal))
                yield return $"PassEnvironment entry '{name}' is a name the worker sets for each run.";
    }
}
