using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;
using Akka.Cluster.Sharding;

namespace ActorScheduler.Engine.Jobs;

/// <summary>The <c>job</c> shard type: entity id = job id, a fixed shard count (it can never change once data exists).</summary>
public static class JobSharding
{
    public const string TypeName = "job";

    public static int ShardOf(JobId jobId, int shardCount) => ShardOf(jobId.Value, shardCount);

    private static int ShardOf(string jobId, int shardCount) => (int)((uint)StableHash(jobId) % (uint)shardCount);

    // string.GetHashCode is randomised per process; shard placement must agree across nodes and restarts.
    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
                hash = (hash ^ c) * 16777619;
            return hash;
        }
    }

    public sealed class Extractor(int shardCount) : IMessageExtractor
    {
        // Akka.NET handles ShardRegion.StartEntity itself through ShardId(entityId).
        public string? EntityId(object message) => message is JobEnvelope envelope ? envelope.JobId.Value : null;

        public object? EntityMessage(object message) => message is JobEnvelope envelope ? envelope.Message : message;

        public string ShardId(object message) => message is JobEnvelope envelope
            ? ShardOf(envelope.JobId, shardCount).ToString()
            : throw new ArgumentException($"Not a job message: {message.GetType()}");

        public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId, shardCount).ToString();
    }
}
