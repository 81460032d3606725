using ActorScheduler.CommandHost;
using ActorScheduler.Commands;
using ActorScheduler.Core;
using ActorScheduler.Engine.Jobs;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>pbm's <c>cluster-sharding</c> palette, for the shard regions of this cluster (the <c>job</c> region).</summary>
public static class ShardingPalette
{
    private static readonly ParameterSpec RegionOption = Param.Option("region", "r", "The shard region's type name", defaultValue: JobSharding.TypeName,
        choices: [JobSharding.TypeName]);

    public static Palette Create(ActorSystem system, IActorRef jobRegion, int shardCount, TimeSpan timeout) =>
        new Palette("cluster-sharding", "Shard regions: which node holds which shards, and how many entities are in memory")
            .Command("regions", "The shard regions of the cluster, and whether this node holds shards of each or proxies to them", c => Regions(c, system, jobRegion))
            .Command("region-stats", "Per node: the shards it holds and the entities in memory", c => RegionStats(c, Region(c, jobRegion), timeout), RegionOption)
            .Command("shard-stats", "Per shard: the node holding it and its entities in memory", c => ShardStats(c, Region(c, jobRegion), timeout), RegionOption)
            .Command("locate", "Where an entity lives: its shard, the node holding the shard, whether it is in memory",
                c => Locate(c, system, Region(c, jobRegion), shardCount, timeout), RegionOption, Param.Option("entity", "e", "The entity id (a job id)", required: true));

    /// <summary>The job region as this node has it: holding shards (a scheduler) or a proxy to the schedulers' (anything else).</summary>
    private static Task Regions(CommandContext context, ActorSystem system, IActorRef jobRegion)
    {
        var holdsShards = ClusterSharding.Get(system).ShardTypeNames.Contains(JobSharding.TypeName);
        var row = new { region = JobSharding.TypeName, here = holdsShards ? "shard region" : "proxy", path = jobRegion.Path.ToStringWithoutAddress() };
        return context.Table([row], ["region", "here", "path"]);
    }

    private static IActorRef Region(CommandContext context, IActorRef jobRegion) =>
        context.Get("region") == JobSharding.TypeName ? jobRegion : throw new CommandUsageException($"This cluster has one shard region: '{JobSharding.TypeName}'.");

    private static async Task<ClusterShardingStats> Stats(CommandContext context, IActorRef region, TimeSpan timeout) =>
        await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + TimeSpan.FromSeconds(1), context.Cancel);

    private static async Task RegionStats(CommandContext context, IActorRef region, TimeSpan timeout)
    {
        var stats = await Stats(context, region, timeout);
        var rows = stats.Regions.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)
            .Select(r => new { node = r.Key.ToString(), shards = r.Value.Stats.Count, entities = r.Value.Stats.Values.Sum() }).ToList();
        await context.Table(rows, ["node", "shards", "entities"], $"{rows.Sum(r => r.shards)} shards, {rows.Sum(r => r.entities)} entities in memory");
    }

    private static async Task ShardStats(CommandContext context, IActorRef region, TimeSpan timeout)
    {
        var stats = await Stats(context, region, timeout);
        var rows = stats.Regions
            .SelectMany(r => r.Value.Stats.Select(s => new { shard = s.Key, node = r.Key.ToString(), entities = s.Value }))
            .OrderBy(s => int.TryParse(s.shard, out var n) ? n : int.MaxValue).ThenBy(s => s.shard, StringComparer.Ordinal)
            .ToList();
        await context.Table(rows, ["shard", "node", "entities"], $"{rows.Count} shards allocated");
    }

    private static async Task Locate(CommandContext context, ActorSystem system, IActorRef region, int shardCount, TimeSpan timeout)
    {
        var entity = context.Required("entity");
        if (!JobId.IsValid(entity))
            throw new CommandUsageException($"'{entity}' is not a job id.");
        var shard = JobSharding.ShardOf(JobId.Parse(entity), shardCount).ToString();
        var stats = await Stats(context, region, timeout);
        var holder = stats.Regions.FirstOrDefault(r => r.Value.Stats.ContainsKey(shard)).Key;
        bool? inMemory = null;
        if (holder is not null)
        {
            var state = await system.ActorSelection(new RootActorPath(holder) / "system" / "sharding" / JobSharding.TypeName)
                .Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout, context.Cancel);
            inMemory = state.Shards.Any(s => s.ShardId == shard && s.EntityIds.Contains(entity));
        }
        await context.Object(new
        {
            region = JobSharding.TypeName,
            entity,
            shard,
            node = holder?.ToString() ?? "(no node holds this shard yet: it is allocated when one of its entities is first used)",
            inMemory,
        });
    }
}
