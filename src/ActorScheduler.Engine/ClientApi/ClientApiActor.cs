using ActorScheduler.Client.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// The actor clients reach through the receptionist (<see cref="ClientProtocol.ServicePath"/>). Its sender is
/// the receptionist's response tunnel to the client, so answering the sender answers the client. Requests run
/// concurrently (each a task piped back to its tunnel); outcome watches go to the <see cref="OutcomeRelay"/>.
/// </summary>
public sealed class ClientApiActor : ReceiveActor
{
    public static Props Props(JobService jobs) => Akka.Actor.Props.Create(() => new ClientApiActor(jobs));

    public ClientApiActor(JobService jobs)
    {
        var relay = Context.ActorOf(OutcomeRelay.Props(jobs), "outcomes");
        var node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<PingRequest>(_ => Sender.Tell(new PingAnswer(node)));
        Receive<IClientRequest>(request => ClientRequests.Execute(jobs, request).PipeTo(Sender));
        // Forward keeps the tunnel as sender: the relay pushes outcomes back through it.
        Receive<WatchOutcomes>(watch => relay.Forward(watch));
    }
}
