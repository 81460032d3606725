using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core;
using ActorScheduler.Core.Boards;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Boards;

/// <summary>How a board diff or apply ended.</summary>
public abstract record BoardOutcome;

/// <summary>The request or the file is wrong (each error names its field: <c>jobs[3].schedule.cron</c>); nothing was applied.</summary>
public sealed record BoardInvalid(IReadOnlyList<ValidationError> Errors) : BoardOutcome;

/// <summary>The file names jobs the board does not own; nothing was applied.</summary>
public sealed record BoardConflicted(string Board, IReadOnlyList<BoardConflict> Conflicts) : BoardOutcome
{
    public string Describe() =>
        $"Board '{Board}' was not applied: {string.Join(" ", Conflicts.Select(conflict => conflict.Describe(Board)))}";
}

/// <summary>What the apply did, or (a diff) would do.</summary>
public sealed record BoardChanged(string Board, BoardChanges Changes) : BoardOutcome;

/// <summary>
/// A job refused what the apply asked of it after the checks passed (a change made meanwhile): the apply stopped
/// there; <paramref name="Applied"/> is what it did before. Applying the file again is safe.
/// </summary>
public sealed record BoardStopped(string Board, RejectionKind Kind, string Message, BoardChanges Applied) : BoardOutcome;

/// <summary>
/// Board diff and apply (<see cref="BoardPlanner"/> over the live jobs): reads and checks the whole file first — every
/// field of every job, the board's name, trigger cycles, jobs owned by another board — so an invalid file changes
/// nothing; then defines the new and changed jobs as an import does (<see cref="JobImport"/>) and, with prune,
/// cancels the board's jobs the file no longer has.
/// </summary>
/// <remarks>
/// The jobs the file names are read from their entities; the board's other jobs are found through the job index (by
/// its <c>board</c> column) and confirmed with their entities before a prune cancels them.
/// </remarks>
public sealed class BoardService(JobService jobs)
{
    /// <summary>A deserializer's complaint as a field-named error: <c>$.schedule.cron</c> → <c>schedule.cron</c>.</summary>
    public static ValidationError Describe(JsonException error)
    {
        var field = error.Path is null or "$" ? "body" : error.Path.StartsWith("$.", StringComparison.Ordinal) ? error.Path[2..] : error.Path.TrimStart('$');
        var message = error.Message.IndexOf(" Path:", StringComparison.Ordinal) is var at and > 0 ? error.Message[..at] : error.Message;
        return new ValidationError(field, message);
    }

    /// <summary>Every board some job belongs to, by name, with its jobs counted by status (from the job index).</summary>
    public Task<IReadOnlyList<BoardSummary>> List(CancellationToken cancel = default) => Task.Run(jobs.Boards, cancel);

    /// <param name="requested">The board the request names (the URL's); null to take the file's.</param>
    /// <param name="describe">Turns a deserializer's complaint into a field-named error (the field relative to the job).</param>
    /// <param name="apply">False for a diff: nothing is changed.</param>
    public async Task<BoardOutcome> Run(string? requested, JsonNode? root, Func<JsonException, ValidationError> describe, bool prune, bool apply,
        CancellationToken cancel = default)
    {
        var (document, errors) = BoardDocument.Read(root, describe);
        if (document is null)
            return new BoardInvalid(errors);
        var (name, nameError) = BoardPlanner.Name(requested, document.Board);
        if (name is null)
            return new BoardInvalid([nameError!]);
        var (wanted, claimErrors) = BoardPlanner.Claim(name, document.Jobs);
        if (claimErrors.Count > 0)
            return new BoardInvalid(claimErrors);
        var import = new JobImport(jobs);
        if (await import.FindCycle(wanted, cancel) is { } cycle)
            return new BoardInvalid([cycle]);
        var current = await Current(wanted.Select(job => job.Id!), cancel);
        var plan = BoardPlanner.Plan(name, wanted, current, await Members(name, wanted.Select(job => job.Id!), cancel), prune);
        if (plan.Conflicts.Count > 0)
            return new BoardConflicted(name, plan.Conflicts);
        return apply ? await Apply(import, name, wanted, plan.Changes, cancel) : new BoardChanged(name, plan.Changes);
    }

    private async Task<BoardOutcome> Apply(JobImport import, string board, IReadOnlyList<JobDefinition> wanted, BoardChanges changes, CancellationToken cancel)
    {
        var defined = changes.Create.Concat(changes.Update).ToHashSet(StringComparer.Ordinal);
        var toDefine = wanted.Where(job => defined.Contains(job.Id!)).ToList();
        var (result, refused) = await import.Apply(toDefine, cancel);
        var unchanged = wanted.Select(job => job.Id!).Where(id => changes.Unchanged.Contains(id) || result.Unchanged.Contains(id)).ToList();
        var applied = new BoardChanges(result.Created, result.Updated, [], unchanged, changes.NotInFile);
        if (refused is not null)
        {
            var index = wanted.Select(job => job.Id).ToList().IndexOf(refused.JobId);
            return new BoardStopped(board, refused.Refusal.Kind, $"jobs[{index}] ('{refused.JobId}') was refused: {refused.Refusal.Message}", applied);
        }
        var removed = new List<string>();
        foreach (var id in changes.Remove)
        {
            var reply = await jobs.Send(JobId.Parse(id), new CancelJob($"removed from board '{board}' (prune)"), cancel);
            if (reply is JobRefused { Kind: not RejectionKind.NotFound } refusal)
                return new BoardStopped(board, refusal.Kind, $"job '{id}' could not be removed: {refusal.Message}", applied with { Remove = removed });
            removed.Add(id);
        }
        await UntilIndexed(board, wanted.Select(job => job.Id!).ToList(), removed, cancel);
        return new BoardChanged(board, applied with { Remove = removed });
    }

    /// <summary>How long an apply waits for the job index to show what it did; the index writer flushes every few milliseconds.</summary>
    private static readonly TimeSpan IndexPatience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Answers once the job index lists every job of the file under the board and the removed ones as canceled (or after
    /// <see cref="IndexPatience"/>): a job defined by PUT reaches the index a few milliseconds after its event, and the
    /// next diff, prune, <c>GET /boards</c> or <c>/jobs?board=</c> of the same client should see this apply.
    /// </summary>
    private async Task UntilIndexed(string board, IReadOnlyList<string> inFile, IReadOnlyList<string> removed, CancellationToken cancel)
    {
        var deadline = DateTimeOffset.UtcNow + IndexPatience;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var listed = (await Listed(board, cancel)).ToDictionary(view => view.Id, view => view.Status, StringComparer.Ordinal);
            if (inFile.All(listed.ContainsKey) && removed.All(id => listed.GetValueOrDefault(id) == JobStatus.Canceled))
                return;
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancel);
        }
    }

    /// <summary>The jobs among <paramref name="ids"/> that exist (a removed or never-defined id is left out), as their entities hold them.</summary>
    private async Task<IReadOnlyDictionary<string, CurrentJob>> Current(IEnumerable<string> ids, CancellationToken cancel)
    {
        var found = new ConcurrentDictionary<string, CurrentJob>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = JobImport.Parallelism, CancellationToken = cancel },
            async (id, token) =>
            {
                switch (await jobs.Get(JobId.Parse(id), token))
                {
                    case JobFound { View: var view }:
                        found[id] = new CurrentJob(view.Definition, view.Status);
                        break;
                    case JobRefused { Kind: RejectionKind.NotFound }:
                        break;
                    case JobRefused refused:
                        throw new InvalidOperationException($"Job '{id}' cannot be read, so board changes cannot be worked out: {refused.Message}");
                }
            });
        return found;
    }

    /// <summary>The board's jobs beyond <paramref name="known"/>: listed by the job index, then read from their entities (the index follows them by milliseconds).</summary>
    private async Task<IReadOnlyList<CurrentJob>> Members(string board, IEnumerable<string> known, CancellationToken cancel)
    {
        var skip = known.ToHashSet(StringComparer.Ordinal);
        var listed = (await Listed(board, cancel)).Where(view => view.Status != JobStatus.Canceled && !skip.Contains(view.Id)).Select(view => view.Id);
        return (await Current(listed, cancel)).Values.ToList();
    }

    /// <summary>The board's jobs as the job index lists them, every page.</summary>
    private async Task<IReadOnlyList<JobView>> Listed(string board, CancellationToken cancel)
    {
        var listed = new List<JobView>();
        var query = new JobListQuery(null, null, null, JobService.MaxPageSize, null, Board: board);
        do
        {
            var page = await jobs.List(query, cancel);
            listed.AddRange(page.Items);
            query = query with { After = page.Next is { } next ? JobId.Parse(next) : null };
        }
        while (query.After is not null);
        return listed;
    }
}
