using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Persistence;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace ActorScheduler.Engine.Triggers;

/// <summary>A run ended for good (no retry follows): jobs listening on its job and outcome are triggered.</summary>
public sealed record RunCompleted(string JobId, RunId RunId, RunStatus Outcome, string? Output);

/// <summary>
/// Where finished runs are announced cluster-wide (distributed pub-sub): every <see cref="RunCompleted"/> a
/// scheduler node's router receives is published on this topic, for subscribers such as the client service.
/// </summary>
public static class RunOutcomes
{
    public const string Topic = "actor-scheduler.run-outcomes";
}

/// <summary>A running script emitted an event: jobs listening on its name are triggered with its data.</summary>
public sealed record EventEmitted(string Name, JsonElement? Data, RunId Source);

/// <summary>
/// Routes completions and emitted events to the jobs that list them, found through the trigger index
/// (<c>job_triggers</c>, written by each job from its definition) — never by asking every job.
/// </summary>
public sealed class TriggerRouter : ReceiveActor
{
    public const string Name = "triggers";

    private sealed record Resolved(IReadOnlyList<string> Listeners, Func<JsonElement?> Data, string Source);

    /// <summary>Trigger lookups of many completions at once go to the index as one query.</summary>
    public const int MaxLookupBatch = 200;

    public sealed record UseJobRegion(IActorRef Region);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _region = ActorRefs.Nobody;

    public static Props Props(JobIndexStore store) => Akka.Actor.Props.Create(() => new TriggerRouter(store));

    private readonly SingleFlightBatcher<IReadOnlyList<string>, IReadOnlyList<string>> _lookups;

    public TriggerRouter(JobIndexStore store)
    {
        _lookups = new SingleFlightBatcher<IReadOnlyList<string>, IReadOnlyList<string>>(store.Listeners, MaxLookupBatch);
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Receive<UseJobRegion>(use => _region = use.Region);
        Receive<RunCompleted>(done =>
        {
            mediator.Tell(new Publish(RunOutcomes.Topic, done));
            // A canceled run neither succeeded nor failed: it only completed (no failure alerts for a DELETE).
            var keys = new List<string> { TriggerKeys.ForJob(done.JobId, "completed") };
            if (done.Outcome == RunStatus.Succeeded) keys.Add(TriggerKeys.ForJob(done.JobId, "succeeded"));
            else if (done.Outcome.IsFailure()) keys.Add(TriggerKeys.ForJob(done.JobId, "failed"));
            // The data is built only if some job listens (most completions have no listener).
            Resolve(keys, () => JsonSerializer.SerializeToElement(new JsonObject
            {
                ["job"] = done.JobId, ["runId"] = done.RunId.ToString(),
                ["outcome"] = JsonValue.Create(done.Outcome.ToString()[..1].ToLowerInvariant() + done.Outcome.ToString()[1..]),
                ["output"] = done.Output,
            }), $"job:{done.JobId}");
        });
        Receive<EventEmitted>(emitted => Resolve([TriggerKeys.ForEvent(emitted.Name)], () => emitted.Data, $"event:{emitted.Name}"));
        Receive<Resolved>(resolved =>
        {
            if (resolved.Listeners.Count == 0)
                return;
            var data = resolved.Data();
            foreach (var job in resolved.Listeners)
                _region.Tell(new JobEnvelope(job, new JobRequest(new TriggerJob(RunTrigger.Event, data, resolved.Source))));
        });
        Receive<Status.Failure>(failure => _log.Error(failure.Cause, "Looking up trigger listeners failed"));
        Receive<JobReply>(_ => { });
    }

    private void Resolve(IReadOnlyList<string> keys, Func<JsonElement?> data, string source) =>
        _lookups.Enqueue(keys).PipeTo(Self, success: listeners => new Resolved(listeners, data, source));

    /// <summary>The trigger keys a job listens on (none once canceled).</summary>
    public static IReadOnlyList<string> KeysOf(JobState state) => state.Canceled || state.Definition.Triggers is null
        ? []
        : state.Definition.Triggers.Select(t => t.Event is { } name
            ? TriggerKeys.ForEvent(name)
            : TriggerKeys.ForJob(t.Job!, (t.On ?? TriggerOn.Completed).ToString().ToLowerInvariant())).ToList();
}
