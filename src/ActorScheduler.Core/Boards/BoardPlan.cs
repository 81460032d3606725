using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Boards;

/// <summary>
/// What applying a board file does (a diff), or did (an apply), by job id: <see cref="Create"/>, <see cref="Update"/>
/// and <see cref="Unchanged"/> in the file's order, <see cref="Remove"/> and <see cref="NotInFile"/> by id.
/// </summary>
/// <param name="Remove">The board's jobs no longer in the file that a prune cancels; empty without prune.</param>
/// <param name="NotInFile">
/// Without prune: the board's jobs no longer in the file, which are left as they are (a prune would remove them).
/// Empty with prune, where they are under <see cref="Remove"/>.
/// </param>
public sealed record BoardChanges(
    IReadOnlyList<string> Create, IReadOnlyList<string> Update, IReadOnlyList<string> Remove, IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> NotInFile);

/// <summary>A job as it stands now: its stored definition (with the board it belongs to, if any) and its status.</summary>
public sealed record CurrentJob(JobDefinition Definition, JobStatus Status)
{
    public string Id => Definition.Id!;
}

/// <summary>Job <paramref name="JobId"/>, at <c>jobs[<paramref name="Index"/>]</c> of the file, exists and belongs to <paramref name="Owner"/> (null: to no board).</summary>
public sealed record BoardConflict(int Index, string JobId, string? Owner)
{
    public string Describe(string board) => Owner is null
        ? $"jobs[{Index}]: job '{JobId}' exists and belongs to no board, so board '{board}' does not take it over. Choose another id, or " +
          $"adopt it first: PUT /api/v1/jobs/{JobId} with \"board\": \"{board}\" in its definition."
        : $"jobs[{Index}]: job '{JobId}' belongs to board '{Owner}', not '{board}'. Choose another id, or remove it from '{Owner}' first.";
}

/// <summary>The changes a board file makes, or, when it would take over jobs it does not own, the conflicts (and nothing may be applied).</summary>
public sealed record BoardPlan(BoardChanges Changes, IReadOnlyList<BoardConflict> Conflicts);

/// <summary>
/// The pure part of job boards: which board a request names, the file's jobs claimed for it, and what applying them
/// changes. A board owns the jobs whose definition names it (<see cref="JobDefinition.Board"/>); applying a file
/// creates its new jobs, replaces the ones whose definition differs (or that are canceled: apply revives them), leaves
/// the rest alone, and with prune cancels the board's jobs that the file no longer has.
/// </summary>
public static class BoardPlanner
{
    /// <summary>
    /// The board a request applies: <paramref name="requested"/> (the URL's, or the CLI's <c>--board</c>), which the
    /// document's own <c>board</c> must equal when it has one; or the document's alone.
    /// </summary>
    public static (string? Name, ValidationError? Error) Name(string? requested, string? inDocument)
    {
        if (requested is not null && !JobId.IsValid(requested))
            return (null, new ValidationError("name", $"'{requested}' is not a board name: use {JobId.Rule}."));
        if (requested is not null && inDocument is not null && requested != inDocument)
            return (null, new ValidationError("board", $"the file is board '{inDocument}', but the request applies it as board '{requested}'; they must be the same."));
        return (requested ?? inDocument) is { } name
            ? (name, null)
            : (null, new ValidationError("board", "is required: name the board in the file (board: <name>)."));
    }

    /// <summary>
    /// The file's jobs as members of <paramref name="board"/>: each gets the board's name; a job (or the defaults)
    /// naming another board is an error at <c>jobs[i].board</c>.
    /// </summary>
    public static (IReadOnlyList<JobDefinition> Jobs, IReadOnlyList<ValidationError> Errors) Claim(string board, IReadOnlyList<JobDefinition> jobs)
    {
        var errors = jobs.Select((job, i) => job.Board is { } other && other != board
                ? new ValidationError($"jobs[{i}].board", $"'{other}' is another board; a job of board '{board}' may leave board out or name '{board}'.")
                : null)
            .OfType<ValidationError>().ToList();
        return (jobs.Select(job => job with { Board = board }).ToList(), errors);
    }

    /// <summary>
    /// What applying <paramref name="wanted"/> (claimed for <paramref name="board"/>) changes.
    /// </summary>
    /// <param name="current">The jobs that exist now among the wanted ids (an id missing here is created).</param>
    /// <param name="members">The board's jobs now (those of other boards, and canceled ones, are passed over).</param>
    public static BoardPlan Plan(string board, IReadOnlyList<JobDefinition> wanted, IReadOnlyDictionary<string, CurrentJob> current,
        IEnumerable<CurrentJob> members, bool prune)
    {
        List<string> create = [], update = [], unchanged = [];
        var conflicts = new List<BoardConflict>();
        for (var i = 0; i < wanted.Count; i++)
        {
            var id = wanted[i].Id!;
            if (!current.TryGetValue(id, out var now))
                create.Add(id);
            else if (now.Definition.Board != board)
                conflicts.Add(new BoardConflict(i, id, now.Definition.Board));
            else if (now.Status != JobStatus.Canceled && JobDefinitions.Same(now.Definition, wanted[i]))
                unchanged.Add(id);
            else
                update.Add(id);
        }
        var inFile = wanted.Select(job => job.Id!).ToHashSet(StringComparer.Ordinal);
        var gone = members.Where(job => job.Definition.Board == board && job.Status != JobStatus.Canceled && !inFile.Contains(job.Id))
            .Select(job => job.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        return new BoardPlan(new BoardChanges(create, update, prune ? gone : [], unchanged, prune ? [] : gone), conflicts);
    }
}
