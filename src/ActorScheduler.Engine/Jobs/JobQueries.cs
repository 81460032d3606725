using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Jobs;

/// <summary>The answers a job gives from its state alone (it is the authority for its own job). Pure.</summary>
public static class JobQueries
{
    /// <param name="now">The time of asking (a description leaves out fan-in parts that no longer count).</param>
    public static JobReply Answer(JobState state, JobMessage query, DateTimeOffset? now = null)
    {
        // A job that does not exist has no run in flight: the permit keeper frees the run's permit.
        if (query is IsRunInFlight asked)
            return new RunInFlightAnswer(asked.RunId, state.Exists && state.InFlight.Exists(run => run.RunId == asked.RunId));
        if (!state.Exists)
            return NotFound(state);
        return query switch
        {
            GetJob => new JobFound(JobView.From(state)),
            DescribeJob => new JobDescribed(JobDescription.From(state, now)),
            GetRuns => new RunsListed(state.InFlight.Reverse().Concat(state.Recent).Select(run => RunView.From(state.Id, run)).ToList()),
            GetRun get => state.FindRun(get.RunId) is { } run
                ? new RunFound(RunView.From(state.Id, run))
                : new JobRefused(RejectionKind.NotFound, $"Run '{get.RunId}' does not exist."),
            _ => throw new ArgumentException($"{query.GetType().Name} is not a query.", nameof(query)),
        };
    }

    public static JobRefused NotFound(JobState state) => new(RejectionKind.NotFound, $"Job '{state.Id}' does not exist.");
}
