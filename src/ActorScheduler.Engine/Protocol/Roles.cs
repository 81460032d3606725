namespace ActorScheduler.Engine.Protocol;

/// <summary>The roles a node takes (<c>actor-scheduler.roles</c>), which are also its cluster roles.</summary>
public static class NodeRoles
{
    public const string Scheduler = "scheduler";
    public const string Worker = "worker";
    public const string Gateway = "gateway";

    /// <summary>Carried by every ActorScheduler node (not the lighthouse): distributed pub-sub runs among them.</summary>
    public const string Engine = "engine";

    public static readonly IReadOnlyList<string> Configurable = [Scheduler, Worker, Gateway];
}

/// <summary>
/// Workers advertise themselves through cluster roles, so membership is the worker directory and failure
/// detection comes with it: <c>worker</c>, <c>worker-name:{name}</c>, <c>worker-pool:{pool}</c>, and
/// <c>worker-slots:{n}</c>, how many runs it runs at once.
/// </summary>
public static class WorkerRoles
{
    private const string NamePrefix = "worker-name:";
    private const string PoolPrefix = "worker-pool:";
    private const string SlotsPrefix = "worker-slots:";

    /// <summary>The roles a worker adds beside <see cref="NodeRoles.Worker"/>.</summary>
    public static IEnumerable<string> For(string name, IEnumerable<string> pools, int slots) =>
        new[] { NamePrefix + name, SlotsPrefix + slots }.Concat(pools.Select(p => PoolPrefix + p));

    /// <summary>A worker's slots; one that does not say (an older node) is taken to have no limit.</summary>
    public static int SlotsOf(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(SlotsPrefix, StringComparison.Ordinal)) is { } role && int.TryParse(role[SlotsPrefix.Length..], out var slots) && slots > 0
            ? slots
            : int.MaxValue;

    public static string? NameOf(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(NamePrefix, StringComparison.Ordinal))?[NamePrefix.Length..];

    public static IReadOnlySet<string> PoolsOf(IEnumerable<string> roles) =>
        roles.Where(r => r.StartsWith(PoolPrefix, StringComparison.Ordinal)).Select(r => r[PoolPrefix.Length..]).ToHashSet();
}
