using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace ActorScheduler.Engine.Serialization;

/// <summary>
/// Journal and snapshot format of job entities: UTF-8 JSON in the contract's dialect, one stable manifest per
/// type. The manifest names are the persisted contract: never rename one; a changed shape gets a new manifest
/// (".v2") and the old one keeps reading. Bound in HOCON to <see cref="JobEvent"/> and <see cref="JobState"/>.
/// </summary>
/// <remarks>
/// job-state.v1 lost a property and kept its name: a run in a snapshot no longer holds its output (the runs read model
/// does). Reading skips unknown properties, so a snapshot that has outputs reads as before minus them, and one without
/// them reads on a node of the version before; a ".v2" would have made that node fail to recover such a job.
/// </remarks>
public sealed class JobJournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4_711_001;

    private static readonly JsonSerializerOptions Json = CoreJson.Create(strict: false);

    /// <summary>Every persisted type and its manifest.</summary>
    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(JobDefined)] = "job-defined.v1",
        [typeof(JobEnabled)] = "job-enabled.v1",
        [typeof(JobDisabled)] = "job-disabled.v1",
        [typeof(JobPaused)] = "job-paused.v1",
        [typeof(JobResumed)] = "job-resumed.v1",
        [typeof(JobRescheduled)] = "job-rescheduled.v1",
        [typeof(JobCanceled)] = "job-canceled.v1",
        [typeof(JobRemoved)] = "job-removed.v1",
        [typeof(ScheduleAdvanced)] = "schedule-advanced.v1",
        [typeof(RunsSkipped)] = "runs-skipped.v1",
        [typeof(DeferredRunDropped)] = "deferred-run-dropped.v1",
        [typeof(CatchUpQueued)] = "catch-up-queued.v1",
        [typeof(RunBuffered)] = "run-buffered.v1",
        [typeof(RunDispatched)] = "run-dispatched.v1",
        [typeof(RunRedispatched)] = "run-redispatched.v1",
        [typeof(RunStarted)] = "run-started.v1",
        [typeof(RunProgressed)] = "run-progressed.v1",
        [typeof(RunCancelRequested)] = "run-cancel-requested.v1",
        [typeof(RunFinished)] = "run-finished.v1",
        [typeof(FanInArrived)] = "fan-in-arrived.v1",
        [typeof(EditScheduled)] = "edit-scheduled.v1",
        [typeof(EditDropped)] = "edit-dropped.v1",
        [typeof(JobState)] = "job-state.v1",
    };

    private static readonly Dictionary<string, Type> TypesByManifest = Manifests.ToDictionary(p => p.Value, p => p.Key);

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} has no journal manifest; add one to {nameof(JobJournalSerializer)}.");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) => Decode(bytes, manifest);

    /// <summary>A stored row's payload (written with <see cref="Id"/>), for readers of the journal's tables without an actor system.</summary>
    public static object Decode(byte[] bytes, string manifest) =>
        TypesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"Null payload for '{manifest}'.")
            : throw new SerializationException($"Unknown job journal manifest '{manifest}'.");
}
