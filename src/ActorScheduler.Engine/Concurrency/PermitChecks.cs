using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Concurrency;

/// <summary>What the permit keeper asks a run's job, and who must have told a new keeper their permits before it admits.</summary>
public static class PermitChecks
{
    /// <summary>Whether the run's job still has it in flight: false also when the job does not exist; null when the job did not answer.</summary>
    public static async Task<bool?> IsInFlight(IActorRef jobs, RunId runId, TimeSpan timeout)
    {
        try
        {
            return await jobs.Ask<JobReply>(new JobEnvelope(runId.Job, new IsRunInFlight(runId)), timeout) switch
            {
                RunInFlightAnswer answer => answer.InFlight,
                JobRefused { Kind: RejectionKind.NotFound } => false,
                _ => null,
            };
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The scheduler nodes up now (each has a dispatcher), as dispatchers name their node in <see cref="PermitClaimsTold"/>.</summary>
    public static Func<IReadOnlyCollection<string>> SchedulersUp(ActorSystem system) => () =>
        Akka.Cluster.Cluster.Get(system).State.Members
            .Where(m => m.Status == Akka.Cluster.MemberStatus.Up && m.HasRole(NodeRoles.Scheduler))
            .Select(m => m.Address.ToString()).ToList();
}
