using ActorScheduler.CommandHost.Logging;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.CommandHost.Remote;

/// <summary>
/// Every member's agent for command hosts elsewhere in the cluster: its log, and its graceful stop (a worker's drain).
/// </summary>
public sealed class CommandAgent : ReceiveActor
{
    public const string Name = "command-agent";

    /// <summary>The shutdown reason a <see cref="StopMember"/> runs with.</summary>
    public sealed class StoppedByCommand : CoordinatedShutdown.Reason
    {
        public static readonly StoppedByCommand Instance = new();

        public override int ExitCode => 0;
    }

    /// <summary>
    /// Characters of log text one answer carries at most: Akka's remoting frame is 128,000 bytes by default, and an
    /// answer over it would be dropped on the way.
    /// </summary>
    public const int MaxAnswerChars = 60_000;

    /// <summary>The newest lines that fit in one answer, and how many older ones did not.</summary>
    public static LogLines Fit(IReadOnlyList<LogLine> lines)
    {
        var (kept, size) = (0, 0);
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            size += lines[i].Message.Length + lines[i].Source.Length + 64;
            if (size > MaxAnswerChars && kept > 0)
                break;
            kept++;
        }
        return new LogLines(lines.Skip(lines.Count - kept).ToList(), lines.Count - kept);
    }

    public CommandAgent()
    {
        var buffer = LogBuffer.Get(Context.System);
        Receive<PeekLog>(peek => Sender.Tell(Fit(buffer.Peek(Math.Clamp(peek.Count, 1, buffer.Capacity)))));
        Receive<StopMember>(stop =>
        {
            var system = Context.System;
            Sender.Tell(new StopAccepted(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString()));
            Context.GetLogger().Warning("Stopping this member on request of a command host: {0}", stop.Reason);
            _ = CoordinatedShutdown.Get(system).Run(StoppedByCommand.Instance);
        });
    }
}

/// <summary>Starting this member's agent, and finding another member's.</summary>
public static class CommandAgents
{
    public static IActorRef Start(ActorSystem system) => system.ActorOf(Props.Create<CommandAgent>(), CommandAgent.Name);

    /// <summary>The agent on the member at <paramref name="address"/>.</summary>
    public static ActorSelection On(ActorSystem system, Address address) =>
        system.ActorSelection(new RootActorPath(address) / "user" / CommandAgent.Name);
}
