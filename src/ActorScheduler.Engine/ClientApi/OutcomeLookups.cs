using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// The reads <see cref="OutcomeRelay"/> needs from the jobs, as tasks whose results it receives as messages. Runs
/// are read one at a time, each with its output from the runs read model (completions announce no output; the
/// read waits the moment a fresh finish's row may still be on its way, see <see cref="Index.RecordedOutputs"/>).
/// </summary>
internal sealed class OutcomeLookups(JobService jobs)
{
    /// <summary>A retry chain longer than this is not followed back (the policy's attempts are far fewer).</summary>
    public const int MaxChainLength = 100;

    public sealed record Judgement(RunId Awaited, AwaitedRunStanding Standing);

    /// <summary>The awaited runs of one job, judged.</summary>
    public sealed record AwaitedJudged(IReadOnlyList<Judgement> Judgements);

    /// <summary><paramref name="Chain"/>: the finished run and the earlier attempts it retried.</summary>
    public sealed record CompletionRead(RunView Finished, IReadOnlySet<RunId> Chain);

    /// <summary>Reads where each awaited run of <paramref name="job"/> stands (the job once, each run once).</summary>
    public async Task<AwaitedJudged> Judge(JobId job, IReadOnlyList<RunId> awaited)
    {
        var jobReply = await jobs.Get(job);
        var view = (jobReply as JobFound)?.View;
        IReadOnlyList<RunView>? allRuns = null;
        var judgements = new List<Judgement>();
        foreach (var runId in awaited)
        {
            var standing = RunChains.Judge(runId, view is null ? null : await Run(runId), view);
            if (standing is AwaitedRunStanding.Retrying retrying)
            {
                // Rare (the chain ended before the wait arrived, or during a reconnect): only here is the list read.
                allRuns ??= (await jobs.Runs(job) as RunsListed)?.Runs ?? [];
                standing = RunChains.AfterRetries(retrying.Attempt, allRuns, view!);
            }
            judgements.Add(new Judgement(runId, standing));
        }
        return new AwaitedJudged(judgements);
    }

    /// <summary>
    /// The finished run's view and, when <paramref name="followChain"/>, the attempts before it, so that a client
    /// awaiting the first attempt learns the outcome of the last.
    /// </summary>
    public async Task<CompletionRead> ReadCompletion(RunCompleted completed, bool followChain)
    {
        var finished = await Run(completed.RunId)
            ?? throw new InvalidOperationException($"Run '{completed.RunId}' was announced finished but its job does not show it.");
        var chain = new HashSet<RunId> { completed.RunId };
        var current = finished;
        while (followChain && chain.Count < MaxChainLength && RunId.TryParse(current.RetryOf, out var previous) && chain.Add(previous))
        {
            if (await Run(previous) is not { } earlier)
                break;
            current = earlier;
        }
        return new CompletionRead(finished, chain);
    }

    private async Task<RunView?> Run(RunId runId)
    {
        var reply = await jobs.RunDetail(runId);
        return (reply as RunFound)?.Run;
    }
}
