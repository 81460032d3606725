using System.Threading.Channels;
using ActorScheduler.Commands;
using Akka.Actor;
using Akka.Cluster;

namespace ActorScheduler.CommandHost.Palettes;

/// <summary>pbm's <c>cluster</c> palette: membership as this member sees it, and the membership commands.</summary>
public static class ClusterPalette
{
    /// <summary>Events a <c>cluster tail</c> may fall behind before the oldest are dropped.</summary>
    public const int TailBacklog = 1000;

    private static readonly ParameterSpec AddressOption = Param.Option("address", "a", "A member's address, as `cluster show` prints it", ParameterTypes.Address);

    public static Palette Create(ActorSystem system, TimeProvider clock)
    {
        var cluster = Cluster.Get(system);
        return new Palette("cluster", "Cluster membership: members, leader, reachability; leave, down, join")
            .Command("show", "One line per member: address | roles | status | reachability", c => Show(c, cluster))
            .Command("status", "This member: its address, status, roles, the leader and what it sees", c => c.Object(Status(cluster)))
            .Command("leader", "The cluster's leader, or a role's", c => Leader(c, cluster),
                Param.Option("role", "r", "Only members with this role"))
            .Command("unreachable", "Members this member cannot reach", c => Unreachable(c, cluster))
            .Command("leave", "Make a member leave gracefully (default: this one)", c => Leave(c, cluster),
                AddressOption with { Description = "The member that leaves (default: the one you are connected to)" })
            .Command("down", "Remove a member that cannot leave by itself (crashed or cut off)", c => Down(c, cluster),
                AddressOption with { Required = true })
            .Command("down-unreachable", "Down every member this one cannot reach", c => DownUnreachable(c, cluster))
            .Command("join", "Make this member join the cluster at an address", c => Join(c, cluster), AddressOption with { Required = true })
            .Streaming("tail", "Membership and reachability events as they happen, until Ctrl-C", c => Tail(c, system, clock));
    }

    private sealed record MemberLine(string Address, string Roles, string Status, string Reachability);

    private static Task Show(CommandContext context, Cluster cluster)
    {
        var state = cluster.State;
        var rows = state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new MemberLine(m.Address.ToString(), string.Join(",", m.Roles.OrderBy(r => r, StringComparer.Ordinal)),
                m.Status.ToString(), state.Unreachable.Contains(m) ? "Unreachable" : "Reachable"))
            .ToList();
        return context.Lines(rows, ["address", "roles", "status", "reachability"], $"Count: {rows.Count} nodes");
    }

    private static object Status(Cluster cluster)
    {
        var state = cluster.State;
        return new
        {
            address = cluster.SelfAddress.ToString(),
            status = cluster.SelfMember.Status.ToString(),
            roles = string.Join(",", cluster.SelfRoles.OrderBy(r => r, StringComparer.Ordinal)),
            leader = state.Leader?.ToString(),
            isLeader = state.Leader == cluster.SelfAddress,
            members = state.Members.Count,
            up = state.Members.Count(m => m.Status == MemberStatus.Up),
            unreachable = state.Unreachable.Count,
        };
    }

    private static Task Leader(CommandContext context, Cluster cluster)
    {
        var role = context.Get("role");
        var leader = role is null ? cluster.State.Leader : cluster.State.RoleLeader(role);
        if (leader is null)
            throw new CommandFailedException(role is null ? "The cluster has no leader yet (no member is up)." : $"No member with role '{role}' is up.");
        return context.Object(new { role, leader = leader.ToString() });
    }

    private static Task Unreachable(CommandContext context, Cluster cluster)
    {
        var rows = cluster.State.Unreachable.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new MemberLine(m.Address.ToString(), string.Join(",", m.Roles.OrderBy(r => r, StringComparer.Ordinal)), m.Status.ToString(), "Unreachable"))
            .ToList();
        return context.Lines(rows, ["address", "roles", "status"], $"Count: {rows.Count} unreachable");
    }

    private static Task Leave(CommandContext context, Cluster cluster)
    {
        var address = context.Get("address") is null ? cluster.SelfAddress : MemberAddress(context, cluster);
        cluster.Leave(address);
        return context.Text($"{address} is leaving the cluster.");
    }

    private static Task Down(CommandContext context, Cluster cluster)
    {
        var address = MemberAddress(context, cluster);
        cluster.Down(address);
        return context.Text($"{address} is marked down and will be removed.");
    }

    private static async Task DownUnreachable(CommandContext context, Cluster cluster)
    {
        var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToList();
        foreach (var address in unreachable)
        {
            cluster.Down(address);
            await context.Text($"{address} is marked down.");
        }
        await context.Text($"Downed {unreachable.Count} unreachable members.");
    }

    private static Task Join(CommandContext context, Cluster cluster)
    {
        var address = ParseAddress(context.Required("address"));
        // Akka ignores a join from a member: say so rather than report a join that will never happen.
        if (cluster.SelfMember.Status is not MemberStatus.Removed and not MemberStatus.Down && cluster.State.Members.Any(m => m.Address == cluster.SelfAddress))
            throw new CommandFailedException($"{cluster.SelfAddress} is already a member of a cluster (status {cluster.SelfMember.Status}); " +
                "a member joins another cluster only after it has left and restarted with that cluster's seeds (CLUSTER_SEEDS).");
        cluster.Join(address);
        return context.Text($"{cluster.SelfAddress} is joining {address}.");
    }

    private static Address MemberAddress(CommandContext context, Cluster cluster)
    {
        var address = ParseAddress(context.Required("address"));
        return cluster.State.Members.Any(m => m.Address == address)
            ? address
            : throw new CommandFailedException($"{address} is not a member of this cluster; `cluster show` lists the members.");
    }

    private static Address ParseAddress(string text)
    {
        try
        {
            return Address.Parse(text);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new CommandUsageException($"'{text}' is not a member address (akka.tcp://system@host:port, as `cluster show` prints it).");
        }
    }

    private sealed record MembershipEvent(DateTimeOffset At, string Event, string Address, string Roles);

    private static async Task Tail(CommandContext context, ActorSystem system, TimeProvider clock)
    {
        // Bounded: a client that stops reading loses the oldest events (and is told), never the node's memory.
        var dropped = 0;
        var events = Channel.CreateBounded<MembershipEvent>(new BoundedChannelOptions(TailBacklog) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref dropped));
        var listener = system.ActorOf(Props.Create(() => new MembershipListener(events.Writer, clock)));
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync(context.Cancel))
            {
                if (Interlocked.Exchange(ref dropped, 0) is var skipped and > 0)
                    await context.Text($"… {skipped} events skipped: this tail fell more than {TailBacklog} events behind");
                await context.Lines([e], ["at", "event", "address", "roles"]);
            }
        }
        finally
        {
            listener.Tell(PoisonPill.Instance);
        }
    }

    private sealed class MembershipListener : ReceiveActor
    {
        public MembershipListener(ChannelWriter<MembershipEvent> events, TimeProvider clock)
        {
            var cluster = Cluster.Get(Context.System);
            cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));
            Receive<ClusterEvent.IMemberEvent>(e => events.TryWrite(Describe(clock, e.GetType().Name, e.Member)));
            Receive<ClusterEvent.UnreachableMember>(e => events.TryWrite(Describe(clock, "Unreachable", e.Member)));
            Receive<ClusterEvent.ReachableMember>(e => events.TryWrite(Describe(clock, "Reachable", e.Member)));
            Receive<ClusterEvent.LeaderChanged>(e => events.TryWrite(new MembershipEvent(clock.GetUtcNow(), "LeaderChanged", e.Leader?.ToString() ?? "-", "")));
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        private static MembershipEvent Describe(TimeProvider clock, string name, Member member) =>
            new(clock.GetUtcNow(), name, member.Address.ToString(), string.Join(",", member.Roles.OrderBy(r => r, StringComparer.Ordinal)));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
