namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// Workers advertise themselves through cluster roles, so membership is the worker directory and failure
/// detection comes with it: <c>worker</c>, <c>worker-name:{name}</c>, <c>worker-pool:{pool}</c>.
/// </summary>
public static class WorkerRoles
{
    public const string Worker = "worker";
    private const string NamePrefix = "worker-name:";
    private const string PoolPrefix = "worker-pool:";

    public static IEnumerable<string> For(string name, IEnumerable<string> pools) =>
        new[] { Worker, NamePrefix + name }.Concat(pools.Select(p => PoolPrefix + p));

    public static string? NameOf(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(NamePrefix, StringComparison.Ordinal))?[NamePrefix.Length..];

    public static IReadOnlySet<string> PoolsOf(IEnumerable<string> roles) =>
        roles.Where(r => r.StartsWith(PoolPrefix, StringComparison.Ordinal)).Select(r => r[PoolPrefix.Length..]).ToHashSet();
}
