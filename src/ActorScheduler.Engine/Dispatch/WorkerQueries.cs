using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Cluster;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>A worker node as the HTTP API, the dashboard and <c>schedctl workers</c> show it.</summary>
/// <param name="Status">The member's status (up, leaving, …), <c>draining</c> while it finishes its runs, or <c>unreachable</c>.</param>
/// <param name="InFlight">Runs it is running; null when the worker did not answer in time.</param>
/// <param name="Runs">The run ids it is running (empty when it did not answer).</param>
public sealed record WorkerView(string Name, IReadOnlyList<string> Pools, string Node, string Status, int? InFlight, int Slots, IReadOnlyList<string> Runs);

/// <summary>
/// The worker nodes of the cluster, from membership (workers advertise their name, pools and slots as roles), and
/// what each is running, asked of the worker itself.
/// </summary>
public static class WorkerQueries
{
    /// <summary>Every member with a worker name, by name.</summary>
    public static IEnumerable<Member> Members(ActorSystem system) =>
        Cluster.Get(system).State.Members.Where(m => m.HasRole(NodeRoles.Worker) && WorkerRoles.NameOf(m.Roles) is not null)
            .OrderBy(m => WorkerRoles.NameOf(m.Roles), StringComparer.Ordinal);

    /// <summary>How long a listing waits for a worker's account: a busy worker shows "did not answer" rather than stalling the list.</summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Every worker with its own account of its runs; the reachable ones are asked at once (an unreachable one is
    /// not asked: it could only make the list wait).
    /// </summary>
    public static async Task<IReadOnlyList<WorkerView>> List(ActorSystem system, TimeSpan timeout, CancellationToken cancel)
    {
        var members = Members(system).ToList();
        var unreachable = Cluster.Get(system).State.Unreachable;
        var wait = timeout < ListTimeout ? timeout : ListTimeout;
        var statuses = await Task.WhenAll(members.Select(m =>
            unreachable.Contains(m) ? Task.FromResult<WorkerStatus?>(null) : Ask(system, m, wait, cancel)));
        return members.Zip(statuses, (member, status) => View(member, status, unreachable.Contains(member))).ToList();
    }

    public static WorkerView View(Member member, WorkerStatus? status, bool unreachable) => new(
        WorkerRoles.NameOf(member.Roles)!, [.. WorkerRoles.PoolsOf(member.Roles).Order(StringComparer.Ordinal)], member.Address.ToString(),
        status is { Draining: true } ? "draining" : unreachable ? "unreachable" : member.Status.ToString().ToLowerInvariant(),
        status?.InFlight, WorkerRoles.SlotsOf(member.Roles), status?.Runs ?? []);

    /// <summary>The worker's own account, or null when it does not answer in time (unreachable, stopping).</summary>
    public static async Task<WorkerStatus?> Ask(ActorSystem system, Member member, TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            return await system.ActorSelection(new RootActorPath(member.Address) / "user" / WorkerActor.Name)
                .Ask<WorkerStatus>(GetWorkerStatus.Instance, timeout, cancel);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
