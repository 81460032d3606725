using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners.Scripts;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// A worker node's way in for the script API (<c>/user/script-channel</c>): a gateway hands it what a run's script
/// sent, and it reaches the run's observer through <see cref="ScriptChannels"/> — the same path as the run's stderr
/// protocol and output — only while the run runs here under that fencing token.
/// </summary>
public sealed class ScriptChannelActor : ReceiveActor
{
    public const string Name = "script-channel";

    public static Props Props(ScriptChannels channels) => Akka.Actor.Props.Create(() => new ScriptChannelActor(channels));

    public ScriptChannelActor(ScriptChannels channels) =>
        Receive<ScriptCall>(call => Sender.Tell(new ScriptCallAnswered(channels.Deliver(call.RunId, call.FencingToken, call.Message))));
}
