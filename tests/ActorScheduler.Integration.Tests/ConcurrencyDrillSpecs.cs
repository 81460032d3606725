using System.Net;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// Concurrency keys across real processes (<see cref="ClusterTopology"/>: two schedulers, whose dispatchers share one
/// permit keeper, two workers, PostgreSQL): a run holding its key's only permit is lost with its worker (kill -9), and
/// the run of another job that waited for the permit then runs.
/// </summary>
[Collection(ClusterDrills.Name)]
public sealed class ConcurrencyDrillSpecs
{
    private static string Str(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    private static async Task<string> CreateAndTrigger(LocalCluster cluster, string id, string command)
    {
        var created = await cluster.PostJson("/api/v1/jobs", $$"""
            { "id": "{{id}}", "worker": "workers", "concurrency": { "key": "drill-customer", "limit": 1 },
              "run": { "shell": { "command": ["sh", "-c", "{{command}}"] } } }
            """);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /jobs → {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var trigger = await cluster.PostJson($"/api/v1/jobs/{id}/trigger", "{}");
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        return Str(JsonNode.Parse(await trigger.Content.ReadAsStringAsync()), "runId");
    }

    [Fact]
    public async Task Should_run_the_waiting_job_once_the_run_holding_the_permit_is_lost_with_its_killed_worker()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var holding = await CreateAndTrigger(cluster, "permit-holder", "sleep 300");
        var running = await cluster.Eventually($"/api/v1/runs/{holding}", r => Str(r, "status") == "running" && Str(r, "worker") != "", "the first run to hold the permit and run");
        var waiting = await CreateAndTrigger(cluster, "permit-waiter", "echo ran after the permit was freed");

        // Placing it takes a permit, which the running run holds: it stays pending, whichever scheduler's dispatcher has it.
        await cluster.Eventually($"/api/v1/runs/{waiting}", r => Str(r, "status") == "pending", "the second run to be recorded pending");
        var killedAt = DateTimeOffset.UtcNow;
        cluster[Str(running, "worker")].Kill();

        await cluster.Eventually($"/api/v1/runs/{holding}", r => Str(r, "status") == "lost", "the first run to be declared lost");
        var ran = await cluster.Eventually($"/api/v1/runs/{waiting}", r => Str(r, "status") is "succeeded" or "failed" or "lost", "the waiting run to run");
        Assert.True(Str(ran, "status") == "succeeded", $"the waiting run: {ran.ToJsonString()}\n{cluster.Consoles()}");
        Assert.Contains("ran after the permit was freed", Str(ran, "output"));
        Assert.True(DateTimeOffset.Parse(Str(ran, "startedAt")) > killedAt,
            $"the waiting run started at {Str(ran, "startedAt")}, before its key's only permit was freed by the kill at {killedAt:O}");
    }
}
