using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Security;
using ActorScheduler.Runners.Scripts;
using Akka.Actor;
using Akka.Cluster;

namespace ActorScheduler.Engine;

/// <summary>How a script API call ended: delivered, refused (the run does not run under that token), or no worker answered.</summary>
public enum ScriptCallOutcome { Delivered, Refused, Unreachable }

/// <summary>
/// The gateway's side of the script API: a call under a run token goes to the worker the token names
/// (<see cref="ScriptChannelActor"/>), which delivers it only while the run runs there under the token's fencing token.
/// </summary>
/// <param name="timeout">How long a call waits for the worker's answer.</param>
public sealed class RunScripts(ActorSystem system, TimeSpan timeout)
{
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired first.</exception>
    public async Task<(ScriptCallOutcome Outcome, string? Refusal)> Call(RunTokenClaims claims, ScriptMessage message, CancellationToken cancel)
    {
        var state = Cluster.Get(system).State;
        var members = WorkerQueries.Members(system)
            .Where(m => WorkerRoles.NameOf(m.Roles) == claims.Worker && !state.Unreachable.Contains(m) &&
                        m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting)
            .ToList();
        string? refusal = null;
        foreach (var member in members)
        {
            try
            {
                var answer = await system.ActorSelection(new RootActorPath(member.Address) / "user" / ScriptChannelActor.Name)
                    .Ask<ScriptCallAnswered>(new ScriptCall(claims.RunId, claims.FencingToken, message), timeout, cancel);
                if (answer.Refusal is null)
                    return (ScriptCallOutcome.Delivered, null);
                refusal = answer.Refusal;
            }
            catch (AskTimeoutException)
            {
            }
        }
        return refusal is not null ? (ScriptCallOutcome.Refused, refusal)
            : (ScriptCallOutcome.Unreachable, $"Worker '{claims.Worker}', which runs '{claims.RunId}', did not answer.");
    }
}
