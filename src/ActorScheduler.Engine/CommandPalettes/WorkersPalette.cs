using ActorScheduler.CommandHost;
using ActorScheduler.CommandHost.Logging;
using ActorScheduler.CommandHost.Palettes;
using ActorScheduler.CommandHost.Remote;
using ActorScheduler.Commands;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Cluster;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// The <c>workers</c> palette: the worker nodes of the cluster (from membership: workers advertise their name, pools
/// and slots as roles), what each is running (asked of the worker itself), its graceful stop and its log.
/// </summary>
public static class WorkersPalette
{
    private static readonly ParameterSpec NameArgument = Param.Argument("name", "The worker's name (workers list shows them)");

    public static Palette Create(ActorSystem system, TimeSpan timeout) =>
        new Palette("workers", "Worker nodes: list, show, drain (finish runs, take no new ones, leave), log")
            .Command("list", "Every worker: name, pools, node, runs in flight, slots", c => List(c, system, timeout))
            .Command("show", "One worker: its node, pools, slots and the runs it has in flight", c => Show(c, system, timeout), NameArgument)
            .Command("drain", "Stop a worker gracefully: it finishes its runs and records them, takes no new ones, leaves the cluster and exits",
                c => Drain(c, system, timeout), NameArgument)
            .Command("log", "The last lines of a worker node's log", c => Log(c, system, timeout), NameArgument,
                Param.Option("lines", "n", "How many lines", ParameterTypes.Integer, "50"));

    private sealed record WorkerLine(string Name, string Pools, string Node, string Status, string InFlight, int Slots);

    private static async Task List(CommandContext context, ActorSystem system, TimeSpan timeout)
    {
        var members = Workers(system).ToList();
        var statuses = await Task.WhenAll(members.Select(m => Ask(system, m, timeout, context.Cancel)));
        var rows = members.Zip(statuses, (member, status) => Line(member, status)).ToList();
        await context.Table(rows, ["name", "pools", "node", "status", "inFlight", "slots"], $"{rows.Count} workers");
    }

    private static async Task Show(CommandContext context, ActorSystem system, TimeSpan timeout)
    {
        var member = Find(system, context.Required("name"));
        var status = await Ask(system, member, timeout, context.Cancel);
        var line = Line(member, status);
        await context.Object(new
        {
            line.Name, line.Pools, line.Node, line.Status, line.InFlight, line.Slots,
            draining = status?.Draining,
            unacknowledged = status?.Unacknowledged,
            runs = status is null ? "(the worker did not answer)" : string.Join(", ", status.Runs),
        });
    }

    private static async Task Drain(CommandContext context, ActorSystem system, TimeSpan timeout)
    {
        var member = Find(system, context.Required("name"));
        var accepted = await CommandAgents.On(system, member.Address)
            .Ask<StopAccepted>(new StopMember($"workers drain {WorkerRoles.NameOf(member.Roles)}"), timeout, context.Cancel);
        await context.Text($"Worker {WorkerRoles.NameOf(member.Roles)} ({accepted.Address}) is draining: it finishes its runs, takes no new ones, then leaves the cluster.");
    }

    private static async Task Log(CommandContext context, ActorSystem system, TimeSpan timeout)
    {
        var member = Find(system, context.Required("name"));
        var lines = await CommandAgents.On(system, member.Address).Ask<LogLines>(new PeekLog(context.Int("lines", 1, 100_000)), timeout, context.Cancel);
        await context.Lines(lines.Lines, LogPalette.Columns, lines.Omitted > 0
            ? $"the last {lines.Lines.Count} lines from {member.Address} ({lines.Omitted} older ones do not fit in one answer)"
            : $"{lines.Lines.Count} lines from {member.Address}");
    }

    private static IEnumerable<Member> Workers(ActorSystem system) => WorkerQueries.Members(system);

    /// <summary>
    /// The worker of that name; a restarted worker may still have its old incarnation in the membership (down or
    /// unreachable), so the one that is up and reachable is preferred, and two of those are refused as ambiguous.
    /// </summary>
    private static Member Find(ActorSystem system, string name)
    {
        var state = Akka.Cluster.Cluster.Get(system).State;
        var named = Workers(system).Where(m => WorkerRoles.NameOf(m.Roles) == name).ToList();
        var live = named.Where(m => m.Status == MemberStatus.Up && !state.Unreachable.Contains(m)).ToList();
        return live.Count switch
        {
            1 => live[0],
            > 1 => throw new CommandFailedException($"Several members are up as worker '{name}' ({string.Join(", ", live.Select(m => m.Address))}); " +
                                                   "give each worker its own name."),
            _ => named.FirstOrDefault() ?? throw new CommandFailedException($"No worker named '{name}' is a member of the cluster; `workers list` shows them."),
        };
    }

    private static WorkerLine Line(Member member, WorkerStatus? status) => new(
        WorkerRoles.NameOf(member.Roles)!, string.Join(",", WorkerRoles.PoolsOf(member.Roles).Order(StringComparer.Ordinal)), member.Address.ToString(),
        status is { Draining: true } ? "draining" : member.Status.ToString().ToLowerInvariant(),
        status?.InFlight.ToString() ?? "?", WorkerRoles.SlotsOf(member.Roles));

    private static Task<WorkerStatus?> Ask(ActorSystem system, Member member, TimeSpan timeout, CancellationToken cancel) =>
        WorkerQueries.Ask(system, member, timeout, cancel);
}
