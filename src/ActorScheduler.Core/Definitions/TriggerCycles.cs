namespace ActorScheduler.Core.Definitions;

/// <summary>
/// Finds the cycle a definition's job triggers would close: job A listening on B's runs while B, through the jobs
/// that listen on it, listens on A's, would trigger itself without end. Pure: the listeners come from the caller.
/// </summary>
public static class TriggerCycles
{
    /// <summary>How many jobs a search visits at most; beyond it no cycle is reported (the chain-depth limit still holds).</summary>
    public const int MaxJobsVisited = 10_000;

    /// <summary>
    /// The cycle through <paramref name="definition"/>'s job triggers, as the jobs in the order their runs would
    /// trigger each other (first and last the defined job), with the index of the trigger that closes it; or null.
    /// </summary>
    /// <param name="listenersOf">For a set of jobs, the jobs whose triggers name each of them (any outcome).</param>
    public static (IReadOnlyList<string> Path, int Trigger)? Find(
        JobDefinition definition, Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, IReadOnlyList<string>>> listenersOf)
    {
        var job = definition.Id!;
        var sources = TriggerSpec.Listened(definition.Triggers).Select(t => (t.Trigger.Job, t.Index)).Where(t => t.Job is not null).ToList();
        if (sources.Count == 0)
            return null;
        if (sources.Find(s => s.Job == job) is { Job: not null } self)
            return ([job, job], self.Index);
        // Breadth first from the job along "is listened on by": reaching one of its sources closes a cycle.
        var cameFrom = new Dictionary<string, string> { [job] = job };
        var level = new List<string> { job };
        while (level.Count > 0 && cameFrom.Count < MaxJobsVisited)
        {
            var next = new List<string>();
            foreach (var (from, listeners) in listenersOf(level))
                foreach (var listener in listeners)
                {
                    if (!cameFrom.TryAdd(listener, from))
                        continue;
                    if (sources.Find(s => s.Job == listener) is { Job: not null } closing)
                        return (PathTo(listener, cameFrom, job), closing.Index);
                    next.Add(listener);
                }
            level = next;
        }
        return null;
    }

    /// <summary>The jobs from <paramref name="job"/> to <paramref name="reached"/>, then back to the job.</summary>
    private static List<string> PathTo(string reached, Dictionary<string, string> cameFrom, string job)
    {
        var path = new List<string>();
        for (var at = reached; at != job; at = cameFrom[at])
            path.Add(at);
        path.Add(job);
        path.Reverse();
        path.Add(job);
        return path;
    }
}
