using ActorScheduler.Core;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Cluster;

namespace ActorScheduler.Engine;

/// <summary>
/// Reads what a run prints while it runs, from any node of the cluster: asks the live-output actor of the worker that
/// runs it (<see cref="LiveOutputActor"/>; the run's view names the worker). A reader polls with the offset the last
/// answer gave (<see cref="LiveOutputChunk.Next"/>), starting at 0, and gets each piece once.
/// </summary>
/// <param name="timeout">How long a read waits for the worker's answer.</param>
public sealed class RunOutputs(ActorSystem system, TimeSpan timeout)
{
    /// <returns>
    /// The worker's answer (<see cref="LiveOutputChunk.Known"/> false when it holds nothing of the run), or null when no
    /// reachable member is that worker or it did not answer within the timeout.
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired first.</exception>
    public async Task<LiveOutputChunk?> Read(string workerName, RunId runId, long from, CancellationToken cancel)
    {
        var members = Members(workerName);
        if (members.Count == 0)
            return null;
        // Two live members under one name (a misconfiguration) are both asked: one of them knows the run.
        var answers = await Task.WhenAll(members.Select(m => Ask(m, new GetLiveOutput(runId, from), cancel)));
        return answers.FirstOrDefault(a => a is { Known: true }) ?? answers.FirstOrDefault(a => a is not null);
    }

    /// <summary>The reachable members up as that worker (still up, or leaving while its runs finish), not an old incarnation.</summary>
    private IReadOnlyList<Member> Members(string workerName)
    {
        var state = Cluster.Get(system).State;
        return WorkerQueries.Members(system)
            .Where(m => WorkerRoles.NameOf(m.Roles) == workerName && !state.Unreachable.Contains(m) &&
                        m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting)
            .ToList();
    }

    private async Task<LiveOutputChunk?> Ask(Member member, GetLiveOutput get, CancellationToken cancel)
    {
        try
        {
            return await system.ActorSelection(new RootActorPath(member.Address) / "user" / LiveOutputActor.Name)
                .Ask<LiveOutputChunk>(get, timeout, cancel);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
