using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorScheduler.Engine.Jobs;

/// <summary>The <c>job</c> shard type: entity id = job id, a fixed shard count (it can never change once data exists).</summary>
public static class JobSharding
{
    public const string TypeName = "job";
    public const string SchedulerRole = "scheduler";

    public static int ShardOf(string jobId, int shardCount) =>
        (int)((uint)StableHash(jobId) % (uint)shardCount);

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
        public string? EntityId(object message) => message is JobEnvelope envelope ? envelope.JobId : null;

        public object? EntityMessage(object message) => message is JobEnvelope envelope ? envelope.Message : message;

        public string ShardId(object message) => message is JobEnvelope envelope
            ? ShardOf(envelope.JobId, shardCount).ToString()
            : throw new ArgumentException($"Not a job message: {message.GetType()}");

        public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId, shardCount).ToString();
    }

    public static IActorRef StartRegion(ActorSystem system, JobEntityContext context) =>
        ClusterSharding.Get(system).Start(
            TypeName,
            entityId => JobEntity.Props(entityId, context),
            ClusterShardingSettings.Create(system).WithRole(SchedulerRole),
            new Extractor(context.ShardCount),
            ShardAllocationStrategy(system),
            JobEntity.Stop.Instance);

    private static IShardAllocationStrategy ShardAllocationStrategy(ActorSystem system) =>
        ClusterSharding.Get(system).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(system));

    public static IActorRef StartProxy(ActorSystem system, int shardCount) =>
        ClusterSharding.Get(system).StartProxy(TypeName, SchedulerRole, new Extractor(shardCount));
}
