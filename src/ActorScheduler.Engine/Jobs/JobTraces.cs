using System.Diagnostics;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Telemetry;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// One job's spans (docs/TELEMETRY.md, "Traces"), made once a command's events are stored: a <c>dispatch</c> span for
/// every run handed to the dispatcher (a root: each attempt is a trace of its own) and an <c>outcome</c> span for every
/// run the job records as finished. It stamps their contexts on the messages that carry the trace on (the dispatched
/// run, the completion), and remembers what a run not yet dispatched is to link to: the run that triggered it (its
/// outcome, or the run span that emitted the event) or, for a retry, the failed attempt's outcome.
/// In memory only: a job that leaves memory or recovers forgets its links and starts fresh traces.
/// </summary>
internal sealed class JobTraces
{
    /// <summary>Contexts remembered at most (runs in flight, buffered triggers, pending retries); past it they are dropped.</summary>
    public const int Remembered = 1_000;

    // Keyed by the run that will be dispatched (a triggered run), or by the attempt a retry follows.
    private readonly Dictionary<RunId, ActivityContext> _causes = new();

    // The last dispatch span of each run in flight: the parent of an outcome no worker's run span reports.
    private readonly Dictionary<RunId, ActivityContext> _dispatched = new();

    /// <summary>When a command's handling began: the start of the outcome spans it leads to.</summary>
    public static DateTimeOffset Began() => EngineTracing.Enabled ? DateTimeOffset.UtcNow : default;

    /// <summary>
    /// The spans of events just stored by <paramref name="command"/> (which came with <paramref name="traceParent"/>,
    /// handled from <paramref name="began"/>), and the effects with their trace contexts stamped on.
    /// </summary>
    public JobEffects Stored(JobEffects effects, JobState after, IReadOnlyList<JobEvent> events, JobCommand command, string? traceParent, DateTimeOffset began)
    {
        if (!EngineTracing.Enabled)
            return effects;
        var sender = EngineTracing.Parse(traceParent);
        if (command is TriggerJob && effects.NewRun is { } triggered && sender != default)
            Remember(_causes, triggered, sender);
        var outcomes = new Dictionary<RunId, ActivityContext>();
        foreach (var e in events)
        {
            switch (e)
            {
                case RunFinished finished:
                    var parent = command is RunReport report && report.RunId == finished.RunId && sender != default
                        ? sender
                        : _dispatched.GetValueOrDefault(finished.RunId);
                    _dispatched.Remove(finished.RunId);
                    if (Outcome(after, finished, parent, began) is { } outcome)
                    {
                        outcomes[finished.RunId] = outcome;
                        if (finished.RetryAt is not null)
                            Remember(_causes, finished.RunId, outcome);
                    }
                    break;
                case DeferredRunDropped dropped:
                    _causes.Remove(dropped.RunId);
                    break;
            }
        }
        var retries = events.OfType<RunDispatched>().Where(d => d.RetryOf is not null).ToDictionary(d => d.RunId, d => d.RetryOf!.Value);
        return effects with
        {
            Dispatch = effects.Dispatch.Select(run => run with { TraceParent = Dispatched(run, retries.GetValueOrDefault(run.RunId)) }).ToList(),
            Completed = effects.Completed
                .Select(done => outcomes.TryGetValue(done.RunId, out var outcome) ? done with { TraceParent = EngineTracing.TraceParent(outcome) } : done)
                .ToList(),
        };
    }

    /// <summary>A dispatch span, linked to what caused the run (the run that triggered it, or the attempt it retries), if known.</summary>
    private string? Dispatched(DispatchRun run, RunId? retryOf)
    {
        if (!_causes.Remove(run.RunId, out var cause) && retryOf is { } earlier)
            _causes.Remove(earlier, out cause);
        var tags = EngineTracing.RunTags(run.JobId, run.RunId, run.Request.Attempt, run.Trigger, run.FencingToken, run.ChainDepth);
        using var span = EngineTracing.Start(EngineTracing.DispatchSpan, ActivityKind.Producer, default, tags, EngineTracing.LinkTo(cause));
        if (span is null)
            return null;
        Remember(_dispatched, run.RunId, span.Context);
        return EngineTracing.TraceParent(span.Context);
    }

    private static ActivityContext? Outcome(JobState after, RunFinished finished, ActivityContext parent, DateTimeOffset began)
    {
        if (after.FindRun(finished.RunId) is not { } run)
            return null;
        var tags = EngineTracing.RunTags(after.Id, run.RunId, run.Attempt, run.Trigger, run.FencingToken, run.ChainDepth);
        if ((finished.Worker ?? run.Worker) is { } worker)
            tags.Add(new(EngineTracing.WorkerTag, worker));
        if (finished.RetryAt is { } retryAt)
            tags.Add(new(EngineTracing.RetryAtTag, retryAt.ToString("O")));
        using var span = EngineTracing.Start(EngineTracing.OutcomeSpan, ActivityKind.Consumer, parent, tags, startTime: began);
        span?.Ended(finished.Outcome, finished.ExitCode, finished.Error);
        return span?.Context;
    }

    private static void Remember(Dictionary<RunId, ActivityContext> contexts, RunId run, ActivityContext context)
    {
        if (contexts.Count >= Remembered && !contexts.ContainsKey(run))
            contexts.Clear(); // only telemetry is lost: later runs start unlinked traces
        contexts[run] = context;
    }
}
