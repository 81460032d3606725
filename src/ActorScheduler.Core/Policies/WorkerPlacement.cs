namespace ActorScheduler.Core.Policies;

/// <summary>
/// A worker node as placement sees it: its node name, its pools, how many runs it has now, and an identity
/// that tells apart two nodes configured with the same name (the node address).
/// </summary>
public sealed record WorkerCandidate(string Name, IReadOnlySet<string> Pools, int ActiveRuns, string Id = "")
{
    public bool Answers(string nameOrPool) => Name == nameOrPool || Pools.Contains(nameOrPool);
}

/// <summary>
/// Which worker runs a job's run: one whose node or pool name matches <c>worker</c> and not <c>notWorker</c>;
/// with <c>strictWorker</c> false and no match, any worker other than <c>notWorker</c>. Among the eligible,
/// the least busy, ties broken by name (the dispatcher rotates through equals). Null: wait for a worker.
/// </summary>
public static class WorkerPlacement
{
    public static IReadOnlyList<WorkerCandidate> Eligible(
        IEnumerable<WorkerCandidate> workers, string? worker, string? notWorker, bool strictWorker)
    {
        var allowed = workers.Where(w => notWorker is null || !w.Answers(notWorker)).ToList();
        var matching = worker is null ? allowed : allowed.Where(w => w.Answers(worker)).ToList();
        if (matching.Count == 0 && worker is not null && !strictWorker)
            matching = allowed;
        return matching.OrderBy(w => w.ActiveRuns).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ThenBy(w => w.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The least busy eligible worker; among equally busy ones the <paramref name="turn"/>-th.</summary>
    public static WorkerCandidate? Pick(
        IEnumerable<WorkerCandidate> workers, string? worker, string? notWorker, bool strictWorker, int turn = 0)
    {
        var eligible = Eligible(workers, worker, notWorker, strictWorker);
        if (eligible.Count == 0)
            return null;
        var leastBusy = eligible.TakeWhile(w => w.ActiveRuns == eligible[0].ActiveRuns).ToList();
        return leastBusy[(int)((uint)turn % (uint)leastBusy.Count)];
    }
}
