using System.Diagnostics;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.Protocol;

/// <summary>
/// A run ended for good (no retry follows): jobs listening on its job and outcome are triggered, one step deeper
/// in the chain than <paramref name="ChainDepth"/>.
/// </summary>
/// <param name="TraceParent">The W3C traceparent of the run's outcome span, which the triggered runs link to; null when not traced.</param>
public sealed record RunCompleted(JobId JobId, RunId RunId, RunStatus Outcome, string? Output, int ChainDepth = 0, string? TraceParent = null);

/// <summary>A running script emitted an event: jobs listening on its name are triggered with its data, one step deeper.</summary>
public sealed record EventEmitted(string Name, JsonElement? Data, RunId Source, int ChainDepth = 0)
{
    /// <summary>
    /// The W3C traceparent of the span current where the event is made, which the triggered runs link to: on a runner's
    /// flow that is the worker's run span (docs/TELEMETRY.md). Null when not traced.
    /// </summary>
    public string? TraceParent { get; init; } = Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: var id } ? id : null;
}

/// <summary>
/// Where finished runs are announced cluster-wide (distributed pub-sub): every <see cref="RunCompleted"/> a
/// scheduler node's trigger router receives is published on this topic, for subscribers such as the client service.
/// </summary>
public static class RunOutcomes
{
    public const string Topic = "actor-scheduler.run-outcomes";
}

/// <summary>
/// How triggers are keyed in the trigger index (<c>job_triggers</c>): by source job and outcome, or by event name.
/// Jobs write the keys they listen on; the trigger router looks up the keys of what happened.
/// </summary>
public static class TriggerKeys
{
    public static string ForJob(string jobId, string on) => $"job:{jobId}:{on}";

    public static string ForEvent(string name) => $"event:{name}";

    /// <summary>The keys a job listens on (none once canceled).</summary>
    public static IReadOnlyList<string> Of(JobState state) => state.Canceled || state.Definition.Triggers is null
        ? []
        : TriggerSpec.Listened(state.Definition.Triggers).Select(l => l.Trigger.Event is { } name
            ? ForEvent(name)
            : ForJob(l.Trigger.Job!, (l.Trigger.On ?? TriggerOn.Completed).ToString().ToLowerInvariant())).Distinct().ToList();

    /// <summary>The keys a finished run fires: completed always; succeeded or failed by outcome (a canceled run only completed).</summary>
    public static IReadOnlyList<string> Fired(RunCompleted done)
    {
        var keys = new List<string>(2) { ForJob(done.JobId.Value, "completed") };
        if (done.Outcome == RunStatus.Succeeded)
            keys.Add(ForJob(done.JobId.Value, "succeeded"));
        else if (done.Outcome.IsFailure())
            keys.Add(ForJob(done.JobId.Value, "failed"));
        return keys;
    }
}
