using ActorScheduler.Client.Protocol;
using ActorScheduler.Engine.Security;
using Akka.Actor;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// The actor clients reach through the receptionist (<see cref="ClientProtocol.ServicePath"/>). Its sender is the
/// receptionist's response tunnel to the client, so answering the sender answers the client. When the node has an
/// API token, every call must carry it, or it is answered <see cref="RequestUnauthorized"/> and nothing is done.
/// Requests run concurrently (each a task piped back to its tunnel); outcome watches go to the <see cref="OutcomeRelay"/>.
/// </summary>
public sealed class ClientApiActor : ReceiveActor
{
    public static Props Props(JobService jobs, string? token) => Akka.Actor.Props.Create(() => new ClientApiActor(jobs, token));

    public ClientApiActor(JobService jobs, string? token)
    {
        var relay = Context.ActorOf(OutcomeRelay.Props(jobs), "outcomes");
        var node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        var expected = token is null ? null : new ApiToken(token);
        Receive<ClientCall>(call => !Authorized(call, expected), _ => Sender.Tell(new RequestUnauthorized(
            "This cluster requires its API token (the gateway's bearer token): give it as ActorSchedulerClientOptions.Token.")));
        Receive<PingRequest>(_ => Sender.Tell(new PingAnswer(node)));
        Receive<IClientRequest>(request => ClientRequests.Execute(jobs, request).PipeTo(Sender));
        // Forward keeps the tunnel as sender: the relay pushes outcomes back through it.
        Receive<WatchOutcomes>(watch => relay.Forward(watch));
    }

    private static bool Authorized(ClientCall call, ApiToken? expected) => expected is null || expected.Matches(call.Token);
}
