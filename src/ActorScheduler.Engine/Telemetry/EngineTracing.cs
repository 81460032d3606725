using System.Diagnostics;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.Telemetry;

/// <summary>
/// The engine's traces on the .NET activity source <see cref="SourceName"/> (docs/TELEMETRY.md, "Traces"): one trace
/// per run attempt, <c>dispatch</c> (the job hands the run to its dispatcher) → <c>run</c> (the worker carries it out)
/// → <c>outcome</c> (the job records its end); a run triggered by another run's completion or emitted event, and a
/// retry, starts a trace of its own that links to the span that caused it.
/// The trace context crosses nodes as a W3C <c>traceparent</c> string on the protocol records; it is not journaled, so
/// a job that recovers (restart, fail-over, passivation) starts fresh traces for its runs in flight.
/// Without a listener (no exporter configured, no test listening) <see cref="Start"/> answers null and nothing is
/// recorded or remembered: callers ask <see cref="Enabled"/> before they build attributes.
/// </summary>
public static class EngineTracing
{
    public const string SourceName = "ActorScheduler";

    public static readonly ActivitySource Source = new(SourceName, typeof(EngineTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>The span names.</summary>
    public const string DispatchSpan = "dispatch", RunSpan = "run", OutcomeSpan = "outcome";

    /// <summary>The attribute names (the metrics' label vocabulary, under <c>actorscheduler.</c>).</summary>
    public const string JobIdTag = "actorscheduler.job.id",
        RunIdTag = "actorscheduler.run.id",
        AttemptTag = "actorscheduler.run.attempt",
        TriggerTag = "actorscheduler.run.trigger",
        FencingTokenTag = "actorscheduler.run.fencing_token",
        ChainDepthTag = "actorscheduler.run.chain_depth",
        WorkerTag = "actorscheduler.worker",
        StatusTag = "actorscheduler.run.status",
        ExitCodeTag = "actorscheduler.run.exit_code",
        RetryAtTag = "actorscheduler.run.retry_at";

    /// <summary>Someone listens: spans are worth making (and their context worth remembering).</summary>
    public static bool Enabled => Source.HasListeners();

    /// <summary>
    /// Starts a span that never becomes <see cref="Activity.Current"/>: actors start and end spans across messages on
    /// shared threads, where an ambient span would leak into the next message. Without a <paramref name="parent"/> the
    /// span is a root, whatever happens to be current. The <paramref name="tags"/> are there when the sampler decides.
    /// Null when nobody listens (or the sampler drops it).
    /// </summary>
    public static Activity? Start(string name, ActivityKind kind, ActivityContext parent, IEnumerable<KeyValuePair<string, object?>> tags,
        IEnumerable<ActivityLink>? links = null, DateTimeOffset startTime = default)
    {
        if (!Source.HasListeners())
            return null;
        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            return Source.StartActivity(name, kind, parent, tags, links, startTime);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    /// <summary>The context a <c>traceparent</c> string names; default (no parent) when absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>The W3C <c>traceparent</c> of a span's context, or null for none.</summary>
    public static string? TraceParent(ActivityContext context) =>
        context == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>A link to the span a <c>traceparent</c> names, if any.</summary>
    public static IEnumerable<ActivityLink>? LinkTo(ActivityContext cause) => cause == default ? null : [new ActivityLink(cause)];

    /// <summary>The attributes every span of a run carries.</summary>
    public static List<KeyValuePair<string, object?>> RunTags(JobId job, RunId run, int attempt, RunTrigger trigger, long fencingToken, int chainDepth) =>
    [
        new(JobIdTag, job.Value),
        new(RunIdTag, run.ToString()),
        new(AttemptTag, attempt),
        new(TriggerTag, Wire(trigger)),
        new(FencingTokenTag, fencingToken),
        new(ChainDepthTag, chainDepth),
    ];

    /// <summary>How a run ended: status and exit code as attributes; failures (failed, timed out, lost) mark the span an error.</summary>
    public static void Ended(this Activity span, RunStatus status, int? exitCode, string? error)
    {
        span.SetTag(StatusTag, Wire(status));
        if (exitCode is { } code)
            span.SetTag(ExitCodeTag, code);
        if (status.IsFailure())
            span.SetStatus(ActivityStatusCode.Error, error is { Length: > MaxDescription } ? error[..MaxDescription] + "…" : error);
    }

    /// <summary>An error text on a span is a summary; the run's output and error stay in the job's history.</summary>
    private const int MaxDescription = 200;

    private static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => Core.Definitions.CoreJson.WireName(value);
}
