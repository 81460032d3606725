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

    public CommandAgent()
    {
        var buffer = LogBuffer.Get(Context.System);
        Receive<PeekLog>(peek => Sender.Tell(new LogLines(buffer.Peek(Math.Clamp(peek.Count, 1, buffer.Capacity)))));
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
