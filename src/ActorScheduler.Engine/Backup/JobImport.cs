using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Backup;

/// <summary>What an import did to each job, in document order.</summary>
public sealed record ImportResult(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Unchanged);

/// <summary>The job that refused its definition (at <paramref name="Index"/> in the document), and what was applied before the import stopped.</summary>
public sealed record ImportRefused(int Index, string JobId, JobRefused Refusal, ImportResult Applied);

/// <summary>
/// Creates or replaces a set of validated definitions (PUT semantics, each job its own history): a job whose
/// stored definition is already the same, and that is not canceled, is left alone (unchanged), so an import
/// can be repeated safely. Trigger cycles are checked for the whole set first, against the trigger index with the
/// set's own triggers in place of the ones they replace, so no job is applied when the set as a whole would close
/// a cycle — and applying the jobs in any order cannot trip over a cycle only a half-applied set has.
/// </summary>
public sealed class JobImport(JobService jobs)
{
    /// <summary>Jobs defined at once: enough to keep the journal's batches full, few enough not to crowd out firing jobs.</summary>
    public const int Parallelism = 8;

    private enum Outcome { Created, Updated, Unchanged }

    /// <summary>The first trigger of the set that would close a cycle, as an error naming <c>jobs[i].triggers[k].job</c>; null when none does.</summary>
    public Task<ValidationError?> FindCycle(IReadOnlyList<JobDefinition> definitions, CancellationToken cancel = default)
    {
        var inSet = definitions.Select((d, i) => (d.Id!, i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        var setListeners = definitions
            .SelectMany(d => TriggerSpec.Listened(d.Triggers).Where(t => t.Trigger.Job is not null).Select(t => (Source: t.Trigger.Job!, Listener: d.Id!)))
            .ToLookup(p => p.Source, p => p.Listener, StringComparer.Ordinal);

        // The index's listeners, minus the set's jobs (their triggers are being replaced), plus the set's own.
        // Called on a pool thread (Task.Run below), where waiting for the index query blocks nothing else.
        IReadOnlyDictionary<string, IReadOnlyList<string>> ListenersOf(IReadOnlyCollection<string> sources) =>
            sources.ToDictionary(source => source, source => (IReadOnlyList<string>)jobs.Downstream(JobId.Parse(source), cancel).GetAwaiter().GetResult()
                .Select(link => link.Job).Where(job => !inSet.ContainsKey(job)).Concat(setListeners[source]).Distinct().ToList());

        return Task.Run(() =>
        {
            for (var i = 0; i < definitions.Count; i++)
                if (TriggerCycles.Find(definitions[i], ListenersOf) is var (path, trigger))
                    return new ValidationError($"jobs[{i}].triggers[{trigger}].job",
                        $"'{path[^2]}' would close a trigger cycle ({string.Join(" → ", path.Select(job => $"'{job}'"))}): these jobs would trigger each other without end.");
            return (ValidationError?)null;
        }, cancel);
    }

    /// <summary>
    /// Applies every definition, <see cref="Parallelism"/> at a time. A refusal by a job (which validation should
    /// have prevented) stops the import: the jobs applied until then stay applied and are reported with it.
    /// </summary>
    public async Task<(ImportResult Result, ImportRefused? Refused)> Apply(IReadOnlyList<JobDefinition> definitions, CancellationToken cancel = default)
    {
        var outcomes = new Outcome?[definitions.Count];
        var gate = new Lock();
        (int Index, JobRefused Refusal)? first = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, definitions.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stop.Token },
                async (i, token) =>
                {
                    var (outcome, refusal) = await ApplyOne(definitions[i], token);
                    outcomes[i] = outcome;
                    if (refusal is null)
                        return;
                    lock (gate)
                        if (first is null || i < first.Value.Index)
                            first = (i, refusal);
                    await stop.CancelAsync();
                });
        }
        catch (OperationCanceledException) when (first is not null && !cancel.IsCancellationRequested)
        {
            // Stopped by the refusal, which is reported below.
        }
        var result = new ImportResult(Ids(Outcome.Created), Ids(Outcome.Updated), Ids(Outcome.Unchanged));
        return (result, first is { } refused ? new ImportRefused(refused.Index, definitions[refused.Index].Id!, refused.Refusal, result) : null);

        List<string> Ids(Outcome outcome) => definitions.Where((_, i) => outcomes[i] == outcome).Select(d => d.Id!).ToList();
    }

    private async Task<(Outcome?, JobRefused?)> ApplyOne(JobDefinition definition, CancellationToken cancel)
    {
        var id = JobId.Parse(definition.Id!);
        if (await jobs.Get(id, cancel) is JobFound { View: var view } && view.Status != JobStatus.Canceled && JobDefinitions.Same(view.Definition, definition))
            return (Outcome.Unchanged, null);
        return await jobs.Send(id, new DefineJob(definition, CreateOnly: false), cancel) switch
        {
            JobAccepted { Created: true } => (Outcome.Created, null),
            JobAccepted => (Outcome.Updated, null),
            JobRefused refused => (null, refused),
            var other => throw new InvalidOperationException($"The job answered {other.GetType().Name} to a definition."),
        };
    }
}
