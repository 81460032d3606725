using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine;

/// <summary>
/// A job's runs as the API and schedctl list them: filtered by status and by the scheduled time's range
/// [<see cref="From"/>, <see cref="To"/>), newest first (run ids number a job's runs in the order they were
/// created), at most <see cref="Limit"/>.
/// </summary>
public sealed record RunFilter(RunStatus? Status, DateTimeOffset? From, DateTimeOffset? To, int Limit)
{
    public IReadOnlyList<RunView> Apply(IEnumerable<RunView> runs) =>
        runs.Where(run => Status is null || run.Status == Status)
            .Where(run => (From is null || run.ScheduledFor >= From) && (To is null || run.ScheduledFor < To))
            .OrderByDescending(Sequence).ThenByDescending(run => run.ScheduledFor)
            .Take(Limit)
            .ToList();

    private static long Sequence(RunView run) => RunId.TryParse(run.RunId, out var runId) ? runId.Sequence : 0;
}
