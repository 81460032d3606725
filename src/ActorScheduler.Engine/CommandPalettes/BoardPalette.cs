using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.CommandHost;
using ActorScheduler.Commands;
using ActorScheduler.Core.Boards;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Boards;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// The <c>board</c> palette: job boards from a file, as <c>POST /api/v1/boards/{name}/diff|apply</c> and
/// <c>GET /api/v1/boards</c> do them, through the same <see cref="BoardService"/>.
/// </summary>
public static class BoardPalette
{
    private static readonly ParameterSpec FileOption = Param.Option("file", "f",
        "A board file, JSON or YAML: { board, defaults, jobs: [JobDefinition] }", ParameterTypes.Document, required: true);
    private static readonly ParameterSpec PruneFlag = Param.Flag("prune", null, "Also remove (cancel) the board's jobs that are no longer in the file");
    private static readonly ParameterSpec BoardOption = Param.Option("board", null, "The board's name, when the file does not name it (else it must match)");

    public static Palette Create(BoardService boards) =>
        new Palette("board", "Job boards: diff and apply a board file of jobs with shared defaults; list the boards")
            .Command("list", "The boards, with their jobs counted by status", c => List(c, boards))
            .Command("diff", "What applying the file would create, update and (with --prune) remove; nothing is changed",
                c => Run(c, boards, apply: false), FileOption, PruneFlag, BoardOption)
            .Command("apply", "Create and update the board's jobs as the file defines them (again: nothing changes); --prune removes the rest",
                c => Run(c, boards, apply: true), FileOption, PruneFlag, BoardOption);

    private sealed record BoardLine(string Board, long Jobs, string Statuses);

    private sealed record ChangeLine(string Change, string Id);

    private static async Task List(CommandContext context, BoardService boards)
    {
        var rows = (await boards.List(context.Cancel)).Select(b => new BoardLine(b.Name, b.Jobs, string.Join(", ", b.ByStatus.Select(s => $"{s.Key} {s.Value}")))).ToList();
        await context.Table(rows, ["board", "jobs", "statuses"], $"{rows.Count} boards");
    }

    private static async Task Run(CommandContext context, BoardService boards, bool apply)
    {
        var prune = context.Flag("prune");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(context.Required("file"));
        }
        catch (JsonException e)
        {
            throw new CommandUsageException($"The board file is not JSON: {e.Message}");
        }
        var outcome = await boards.Run(context.Get("board"), root, BoardService.Describe, prune, apply, context.Cancel);
        switch (outcome)
        {
            case BoardChanged changed:
                await context.Table(Lines(changed.Changes), ["change", "id"], Summary(changed.Board, changed.Changes, apply, prune));
                break;
            case BoardInvalid invalid:
                throw new CommandUsageException("The board file is not valid; nothing was applied:\n  " + string.Join("\n  ", invalid.Errors));
            case BoardConflicted conflicted:
                throw new CommandFailedException(conflicted.Describe());
            case BoardStopped stopped:
                throw new CommandFailedException($"{stopped.Message} The apply stopped there, after: " +
                    $"{Summary(stopped.Board, stopped.Applied, apply, prune)}. Applying the file again is safe.");
        }
    }

    private static List<ChangeLine> Lines(BoardChanges changes) =>
    [
        .. changes.Create.Select(id => new ChangeLine("create", id)),
        .. changes.Update.Select(id => new ChangeLine("update", id)),
        .. changes.Remove.Select(id => new ChangeLine("remove", id)),
        .. changes.Unchanged.Select(id => new ChangeLine("unchanged", id)),
        .. changes.NotInFile.Select(id => new ChangeLine("not in file", id)),
    ];

    private static string Summary(string board, BoardChanges changes, bool apply, bool prune)
    {
        var counts = $"board {board}: {changes.Create.Count} {(apply ? "created" : "to create")}, {changes.Update.Count} {(apply ? "updated" : "to update")}, " +
            $"{changes.Remove.Count} {(apply ? "removed" : "to remove")}, {changes.Unchanged.Count} unchanged";
        var kept = changes.NotInFile.Count > 0 && !prune ? $"; {changes.NotInFile.Count} not in the file, kept (--prune removes them)" : "";
        return counts + kept + (apply ? "" : " (a diff: nothing was changed)");
    }
}
