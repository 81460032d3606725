using System.Runtime.Serialization;
using System.Text.Json;
using ActorScheduler.Core.Definitions;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace ActorScheduler.Client.Protocol;

/// <summary>
/// The client protocol on the wire: UTF-8 JSON in the contract's dialect with one stable manifest per type.
/// Clients and nodes of different versions talk to each other, so reading is tolerant (an unknown field added
/// by a newer peer is skipped) and a manifest, once shipped, is never renamed.
/// </summary>
public sealed class ClientProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's Akka identifier; both sides must agree on it, so it never changes.</summary>
    public const int Id = 4_711_003;

    private static readonly JsonSerializerOptions Json = CoreJson.Create(strict: false);

    /// <summary>Every protocol type and its manifest on the wire.</summary>
    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(DefineJobRequest)] = "define-job.v1",
        [typeof(GetJobRequest)] = "get-job.v1",
        [typeof(ListJobsRequest)] = "list-jobs.v1",
        [typeof(TriggerJobRequest)] = "trigger-job.v1",
        [typeof(PauseJobRequest)] = "pause-job.v1",
        [typeof(ResumeJobRequest)] = "resume-job.v1",
        [typeof(RescheduleJobRequest)] = "reschedule-job.v1",
        [typeof(CancelJobRequest)] = "cancel-job.v1",
        [typeof(GetRunsRequest)] = "get-runs.v1",
        [typeof(GetRunRequest)] = "get-run.v1",
        [typeof(ListRunsRequest)] = "list-runs.v1",
        [typeof(CancelRunRequest)] = "cancel-run.v1",
        [typeof(PingRequest)] = "ping.v1",
        [typeof(JobAnswer)] = "job-answer.v1",
        [typeof(JobListAnswer)] = "job-list-answer.v1",
        [typeof(RunListAnswer)] = "run-list-answer.v1",
        [typeof(RunAnswer)] = "run-answer.v1",
        [typeof(RunPageAnswer)] = "run-page-answer.v1",
        [typeof(PingAnswer)] = "ping-answer.v1",
        [typeof(BackfillJobRequest)] = "backfill-job.v1",
        [typeof(DropEditRequest)] = "drop-edit.v1",
        [typeof(BoardRequest)] = "board.v1",
        [typeof(ListBoardsRequest)] = "list-boards.v1",
        [typeof(BoardAnswer)] = "board-answer.v1",
        [typeof(BoardListAnswer)] = "board-list-answer.v1",
        [typeof(BackfillAnswer)] = "backfill-answer.v1",
        [typeof(RequestRefused)] = "request-refused.v1",
        [typeof(RequestFailed)] = "request-failed.v1",
        [typeof(RequestUnauthorized)] = "request-unauthorized.v1",
        [typeof(WatchOutcomes)] = "watch-outcomes.v1",
        [typeof(OutcomesWatched)] = "outcomes-watched.v1",
        [typeof(RunSettled)] = "run-settled.v1",
        [typeof(RunUnknown)] = "run-unknown.v1",
        [typeof(JobRunFinished)] = "job-run-finished.v1",
        [typeof(AddQueueItemRequest)] = "add-queue-item.v1",
        [typeof(GetQueueItemRequest)] = "get-queue-item.v1",
        [typeof(ListQueueItemsRequest)] = "list-queue-items.v1",
        [typeof(UpdateQueueItemRequest)] = "update-queue-item.v1",
        [typeof(DeleteQueueItemRequest)] = "delete-queue-item.v1",
        [typeof(ListQueuesRequest)] = "list-queues.v1",
        [typeof(QueueItemAnswer)] = "queue-item-answer.v1",
        [typeof(QueueItemPageAnswer)] = "queue-item-page-answer.v1",
        [typeof(QueueItemDeleted)] = "queue-item-deleted.v1",
        [typeof(QueueListAnswer)] = "queue-list-answer.v1",
    };

    private static readonly Dictionary<string, Type> TypesByManifest = Manifests.ToDictionary(p => p.Value, p => p.Key);

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} has no client protocol manifest; add one to {nameof(ClientProtocolSerializer)}.");

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) =>
        TypesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"Null payload for '{manifest}'.")
            : throw new SerializationException($"Unknown client protocol manifest '{manifest}'; is the peer newer than this assembly?");
}

/// <summary>The HOCON both sides add: binds every <see cref="IClientProtocolMessage"/> to <see cref="ClientProtocolSerializer"/>.</summary>
public static class ClientProtocolConfig
{
    /// <summary>The serializer, its binding and its identifier as HOCON.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.actor-scheduler-client = "{{NameOf(typeof(ClientProtocolSerializer))}}"
          serialization-bindings {
            "{{NameOf(typeof(IClientProtocolMessage))}}" = actor-scheduler-client
          }
          serialization-identifiers {
            "{{NameOf(typeof(ClientProtocolSerializer))}}" = {{ClientProtocolSerializer.Id}}
          }
        }
        """);

    /// <summary>Assembly-qualified without version, so a client and a node of different builds agree on it.</summary>
    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
