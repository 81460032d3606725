using ActorScheduler.CommandHost;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// <c>jobs tail</c>: follows a job's runs by asking the job twice a second — its current run's progress as a bar,
/// the run's output and error when it ends, then the next run — until the client stops it. A job is asked, not
/// subscribed to, so a tail costs the job one small answer per half second and nothing when nobody watches.
/// </summary>
internal static class JobTail
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task Run(CommandContext context, JobService jobs)
    {
        var id = JobsPalette.ParseId(context.Required("id"));
        var seen = new Dictionary<string, (RunStatus Status, long Done, long? Total)>();
        var runs = JobsPalette.Expect<RunsListed>(await jobs.Runs(id, context.Cancel)).Runs;
        // Runs that ended before the tail began are history (jobs runs shows them); the tail follows the rest.
        foreach (var finished in runs.Where(r => r.Status.IsFinished()))
            seen[finished.RunId] = (finished.Status, finished.Progress?.Current ?? 0, finished.Progress?.Max);
        var waiting = false;
        while (true)
        {
            var wrote = false;
            foreach (var run in runs.OrderBy(r => r.StartedAt ?? r.ScheduledFor))
                wrote |= await Show(context, run, seen);
            if (wrote)
                waiting = false;
            if (!waiting && runs.All(r => r.Status.IsFinished()))
            {
                var job = JobsPalette.Expect<JobFound>(await jobs.Get(id, context.Cancel)).View;
                await context.Text(job.NextDueAt is { } next
                    ? $"{id}: waiting for the next run (due {JobsPalette.Format(next)}, status {JobsPalette.Wire(job.Status)})"
                    : $"{id}: waiting for a run (status {JobsPalette.Wire(job.Status)}; nothing scheduled)");
                waiting = true;
            }
            await Task.Delay(PollInterval, context.Cancel);
            runs = await Poll(context, jobs, id) ?? runs;
        }
    }

    /// <summary>
    /// The job's runs, or null when it did not answer this time (moving to another node, its node restarting): a
    /// tail outlives such moments, says so once, and asks again.
    /// </summary>
    private static async Task<IReadOnlyList<RunView>?> Poll(CommandContext context, JobService jobs, Core.JobId id)
    {
        try
        {
            return JobsPalette.Expect<RunsListed>(await jobs.Runs(id, context.Cancel)).Runs;
        }
        catch (Akka.Actor.AskTimeoutException)
        {
            await context.Text($"{id}: no answer from the job for a while (is its node moving or restarting?); still following");
            return null;
        }
    }

    /// <summary>Writes what changed about one run; true when something was written.</summary>
    private static async Task<bool> Show(CommandContext context, RunView run, Dictionary<string, (RunStatus Status, long Done, long? Total)> seen)
    {
        var (done, total) = (run.Progress?.Current ?? 0, run.Progress?.Max);
        var known = seen.TryGetValue(run.RunId, out var before);
        if (known && before == (run.Status, done, total))
            return false;
        seen[run.RunId] = (run.Status, done, total);
        if (!known)
            await context.Text($"{run.RunId}: {JobsPalette.Wire(run.Trigger)} run, attempt {run.Attempt}, on {run.Worker ?? "(no worker yet)"}");
        var finished = run.Status.IsFinished();
        // A run that reports no progress still gets a bar: empty while it runs, full when it ends.
        var (barDone, barTotal) = total is null && finished ? (1, 1) : (done, total);
        await context.Progress(run.RunId, run.RunId, barDone, barTotal, finished ? JobsPalette.Wire(run.Status) : "running");
        if (finished)
        {
            foreach (var line in (run.Output ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                await context.Text(line.TrimEnd('\r'));
            await context.Text(run.Error is { } error
                ? $"{run.RunId}: {JobsPalette.Wire(run.Status)} (exit code {run.ExitCode?.ToString() ?? "-"}): {error}"
                : $"{run.RunId}: {JobsPalette.Wire(run.Status)} (exit code {run.ExitCode?.ToString() ?? "-"})");
        }
        return true;
    }
}
