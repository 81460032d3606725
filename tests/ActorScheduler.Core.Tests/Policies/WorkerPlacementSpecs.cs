using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Policies;

public sealed class WorkerPlacementSpecs
{
    private static WorkerCandidate Worker(string name, int active = 0, params string[] pools) => new(name, pools.ToHashSet(), active);

    private static readonly WorkerCandidate[] Workers =
    [
        Worker("vip-1", 0, "vip"), Worker("vip-2", 0, "vip"), Worker("batch-1", 0, "batch"), Worker("plain", 0),
    ];

    [Theory]
    [InlineData(null, null, false, "batch-1,plain,vip-1,vip-2")]
    [InlineData("vip", null, false, "vip-1,vip-2")]
    [InlineData("vip-2", null, true, "vip-2")]
    [InlineData("vip", "vip-1", false, "vip-2")]
    [InlineData(null, "vip", false, "batch-1,plain")]
    [InlineData("gpu", null, false, "batch-1,plain,vip-1,vip-2")]
    [InlineData("gpu", "batch", false, "plain,vip-1,vip-2")]
    [InlineData("gpu", null, true, "")]
    [InlineData("vip", "vip", true, "")]
    public void Should_offer_the_workers_matching_name_or_pool_and_not_notWorker(string? worker, string? notWorker, bool strict, string expected)
    {
        var eligible = WorkerPlacement.Eligible(Workers, worker, notWorker, strict);

        Assert.Equal(expected, string.Join(",", eligible.Select(w => w.Name)));
    }

    [Fact]
    public void Should_pick_the_least_busy_eligible_worker()
    {
        var workers = new[] { Worker("a", 3, "pool"), Worker("b", 1, "pool"), Worker("c", 2, "pool") };

        Assert.Equal("b", WorkerPlacement.Pick(workers, "pool", null, true)!.Name);
    }

    [Fact]
    public void Should_rotate_among_equally_busy_workers_so_runs_spread_over_the_pool()
    {
        var picks = Enumerable.Range(0, 6).Select(turn => WorkerPlacement.Pick(Workers, "vip", null, true, turn)!.Name);

        Assert.Equal(["vip-1", "vip-2", "vip-1", "vip-2", "vip-1", "vip-2"], picks);
    }

    [Fact]
    public void Should_wait_for_a_worker_when_none_is_eligible()
    {
        Assert.Null(WorkerPlacement.Pick([], null, null, false));
        Assert.Null(WorkerPlacement.Pick(Workers, "gpu", null, strictWorker: true));
    }
}
