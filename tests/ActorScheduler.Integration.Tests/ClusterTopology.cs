namespace ActorScheduler.Integration.Tests;

/// <summary>One kind of process in the cluster topology (a compose service; in loopback tests, one process per replica).</summary>
/// <param name="Service">Compose service name.</param>
/// <param name="Program"><c>lighthouse</c> (lighthouse/) or <c>node</c> (src/ActorScheduler.Node).</param>
/// <param name="Roles">Engine roles (ACTORSCHEDULER__ROLES); the lighthouse's cluster role is <c>lighthouse</c>.</param>
/// <param name="PortOffset">Cluster port = base + offset (+ replica index in loopback tests; in compose every replica
/// has its own address, so all replicas use base + offset).</param>
/// <param name="Pool">Worker pool the replicas join (ACTORSCHEDULER__WORKER__POOLS).</param>
/// <param name="Http">Serves the HTTP API (gateway).</param>
/// <param name="Replicas">How many the topology starts (compose: <c>deploy.replicas</c>).</param>
/// <param name="Database">Connects to PostgreSQL (scheduler and gateway nodes; workers and lighthouse do not).</param>
public sealed record NodeSpec(
    string Service, string Program, IReadOnlyList<string> Roles, int PortOffset, string? Pool, bool Http, int Replicas, bool Database);

/// <summary>
/// The cluster the failover drills start on loopback and that docker-compose.cluster.yml describes: a lighthouse,
/// two scheduler nodes, two workers of one pool, a gateway, PostgreSQL. A spec checks the compose file against this.
/// </summary>
public static class ClusterTopology
{
    public const string SystemName = "actor-scheduler";

    public const string WorkerPool = "workers";

    /// <summary>Cluster base port in the compose file (the lighthouse's port).</summary>
    public const int ComposeBasePort = 4053;

    /// <summary>The gateway's HTTP port in the compose file.</summary>
    public const int ComposeHttpPort = 5080;

    public static readonly IReadOnlyList<NodeSpec> Nodes =
    [
        new("lighthouse", "lighthouse", ["lighthouse"], 0, null, false, 1, false),
        new("scheduler-1", "node", ["scheduler"], 1, null, false, 1, true),
        new("scheduler-2", "node", ["scheduler"], 2, null, false, 1, true),
        new("worker", "node", ["worker"], 3, WorkerPool, false, 2, false),
        new("gateway", "node", ["gateway"], 6, null, true, 1, true),
    ];

    public static NodeSpec Lighthouse => Nodes[0];
}
