using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace ActorScheduler.Engine.Triggers;

/// <summary>
/// Routes completions and emitted events to the jobs that list them, found through the trigger index
/// (<c>job_triggers</c>, written by each job from its definition) — never by asking every job. Every completion
/// is also published on <see cref="RunOutcomes.Topic"/>.
/// </summary>
public sealed class TriggerRouter : ReceiveActor
{
    public const string Name = "triggers";

    /// <summary>Trigger lookups of many completions at once go to the index as one query.</summary>
    public const int MaxLookupBatch = 200;

    /// <param name="TraceParent">The span the triggered runs link to: the completed run's outcome, or the emitting run.</param>
    /// <param name="Outcome">How the completed run ended (null for an event): fan-in parts match on it.</param>
    private sealed record Resolved(IReadOnlyList<JobId> Listeners, Func<JsonElement?> Data, string Source, int ChainDepth, string? TraceParent, RunStatus? Outcome);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SingleFlightBatcher<IReadOnlyList<string>, IReadOnlyList<JobId>> _lookups;

    /// <param name="jobs">The job shard region: triggered jobs are told through it.</param>
    public static Props Props(IndexTables index, IActorRef jobs) => Akka.Actor.Props.Create(() => new TriggerRouter(index, jobs));

    public TriggerRouter(IndexTables index, IActorRef jobs)
    {
        _lookups = new SingleFlightBatcher<IReadOnlyList<string>, IReadOnlyList<JobId>>(index.Listeners, MaxLookupBatch);
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Receive<RunCompleted>(done =>
        {
            mediator.Tell(new Publish(RunOutcomes.Topic, done with { Output = null })); // subscribers read output from the runs table
            // The data is built only if some job listens (most completions have no listener).
            Resolve(TriggerKeys.Fired(done), () => CompletionData(done), $"job:{done.JobId}", done.ChainDepth + 1, done.TraceParent, done.Outcome);
        });
        Receive<EventEmitted>(emitted =>
            Resolve([TriggerKeys.ForEvent(emitted.Name)], () => emitted.Data, $"event:{emitted.Name}", emitted.ChainDepth + 1, emitted.TraceParent, null));
        Receive<Resolved>(resolved =>
        {
            if (resolved.Listeners.Count == 0)
                return;
            var data = resolved.Data();
            // No sender: the triggered jobs' answers are of no use here.
            foreach (var job in resolved.Listeners)
                jobs.Tell(new JobEnvelope(job, new JobRequest(new TriggerJob(RunTrigger.Event, data, resolved.Source, resolved.ChainDepth, Outcome: resolved.Outcome), resolved.TraceParent)),
                    ActorRefs.NoSender);
        });
        Receive<Status.Failure>(failure => _log.Error(failure.Cause, "Looking up trigger listeners failed"));
    }

    private void Resolve(IReadOnlyList<string> keys, Func<JsonElement?> data, string source, int chainDepth, string? traceParent, RunStatus? outcome) =>
        _lookups.Enqueue(keys).PipeTo(Self, success: listeners => new Resolved(listeners, data, source, chainDepth, traceParent, outcome));

    /// <summary>What a completion hands its listeners: the job, the run, its outcome (camelCase) and output.</summary>
    private static JsonElement? CompletionData(RunCompleted done) => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["job"] = done.JobId.Value,
        ["runId"] = done.RunId.ToString(),
        ["outcome"] = JsonValue.Create(JsonNamingPolicy.CamelCase.ConvertName(done.Outcome.ToString())),
        ["output"] = done.Output,
    });
}
