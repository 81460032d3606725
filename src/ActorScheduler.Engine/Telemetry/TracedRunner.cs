using System.Diagnostics;
using System.Runtime.CompilerServices;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;

namespace ActorScheduler.Engine.Telemetry;

/// <summary>
/// The worker's <c>run</c> span around a runner: the worker's bookkeeping starts it when it accepts a run
/// (<see cref="StartRunSpan"/>) and ends it with the result (<see cref="EndRunSpan"/>); this runner makes it
/// <see cref="Activity.Current"/> on the runner's flow, so that what the run does is inside it: an event it emits
/// links to it (<see cref="EventEmitted.TraceParent"/>), an HTTP run's request carries its <c>traceparent</c> header
/// (when .NET's HTTP client instrumentation is on), and a .NET handler's own spans are its children.
/// </summary>
public sealed class TracedRunner(IRunner inner) : IRunner
{
    // Keyed by the request object the worker hands the runner: gone with it, nothing to clean up.
    private static readonly ConditionalWeakTable<RunRequest, Activity> Spans = new();

    public bool CanRun(RunSpec spec) => inner.CanRun(spec);

    public Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel) =>
        Spans.TryGetValue(request, out var span) ? RunInSpanAsync(span, request, observer, cancel) : inner.RunAsync(request, observer, cancel);

    // An async method: the span it makes current stays on the runner's flow, never on the caller's (an actor's thread).
    private async Task<RunResult> RunInSpanAsync(Activity span, RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        Activity.Current = span;
        return await inner.RunAsync(request, observer, cancel).ConfigureAwait(false);
    }

    /// <summary>The run span of a run <paramref name="worker"/> accepted: a child of its dispatch span, null when not traced.</summary>
    public static Activity? StartRunSpan(DispatchRun run, string worker)
    {
        if (!EngineTracing.Enabled)
            return null;
        var tags = EngineTracing.RunTags(run.JobId, run.RunId, run.Request.Attempt, run.Trigger, run.FencingToken, run.ChainDepth);
        tags.Add(new(EngineTracing.WorkerTag, worker));
        var span = EngineTracing.Start(EngineTracing.RunSpan, ActivityKind.Consumer, EngineTracing.Parse(run.TraceParent), tags);
        if (span is not null)
            Spans.AddOrUpdate(run.Request, span);
        return span;
    }

    /// <summary>Ends a run span with the runner's result; answers its traceparent, for the outcome report to the job.</summary>
    public static string? EndRunSpan(Activity? span, RunResult result)
    {
        if (span is null)
            return null;
        span.Ended(result.Outcome, result.ExitCode, result.Error);
        span.Dispose();
        return EngineTracing.TraceParent(span.Context);
    }
}
