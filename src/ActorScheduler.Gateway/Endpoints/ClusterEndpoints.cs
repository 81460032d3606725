using ActorScheduler.Engine;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Read-only views of the cluster for operators and the CLI: <c>/api/v1/cluster/members</c> (pbm's "cluster
/// show") and <c>/api/v1/cluster/sharding</c> (pbm's "sharding stats": which node holds which job shards).
/// </summary>
internal static class ClusterEndpoints
{
    public static void Map(IEndpointRouteBuilder api, JobService jobs)
    {
        api.MapGet("/cluster/members", () => ApiResults.Json(new { items = jobs.Members() })).WithName("ClusterMembers")
            .Produces<IReadOnlyList<MemberView>>();
        api.MapGet("/cluster/sharding", async (CancellationToken cancel) => ApiResults.Json(await jobs.Sharding(cancel)))
            .WithName("ShardingStats").Produces<ShardingStats>();
    }
}
