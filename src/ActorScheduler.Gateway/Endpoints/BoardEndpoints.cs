using ActorScheduler.Core.Boards;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Engine.Boards;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Job boards (issue 15): a board file — <c>{ "board", "defaults", "jobs": [JobDefinition] }</c>, JSON or YAML — applied
/// as the whole truth about the board's jobs. <c>POST /api/v1/boards/{name}/diff</c> says what
/// <c>POST /api/v1/boards/{name}/apply</c> would do; both take <c>?prune=true</c> and answer <see cref="BoardChanges"/>;
/// <c>GET /api/v1/boards</c> lists the boards.
/// </summary>
internal sealed class BoardEndpoints(BoardService boards, ILogger log)
{
    public static void Map(IEndpointRouteBuilder api, JobService jobs, ILogger log)
    {
        var endpoints = new BoardEndpoints(new BoardService(jobs), log);
        api.MapGet("/boards", endpoints.List).WithName("ListBoards")
            .WithSummary("The boards jobs belong to, with their jobs counted by status")
            .Produces<BoardList>();
        api.MapPost("/boards/{name}/diff", (string name, string? prune, HttpRequest request, CancellationToken cancel) =>
                endpoints.Run(name, prune, apply: false, request, cancel))
            .WithName("DiffBoard").WithSummary("What applying the board file would create, update and (with prune) remove; nothing is changed")
            .Accepts<BoardDocument>("application/json", ExportEndpoints.YamlTypes).Produces<BoardChanges>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/boards/{name}/apply", (string name, string? prune, HttpRequest request, CancellationToken cancel) =>
                endpoints.Run(name, prune, apply: true, request, cancel))
            .WithName("ApplyBoard").WithSummary("Creates and updates the board's jobs as the file defines them and, with prune, cancels those it no longer has")
            .Accepts<BoardDocument>("application/json", ExportEndpoints.YamlTypes).Produces<BoardChanges>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private async Task<IResult> List(CancellationToken cancel) =>
        ApiResults.Json(new BoardList(await boards.List(cancel)));

    /// <summary>
    /// The board in the path must be the file's <c>board</c> (or fills it in). Everything is checked before anything
    /// is changed: 400 naming the job and field, 409 naming each job another board (or no board) owns.
    /// </summary>
    private async Task<IResult> Run(string name, string? prune, bool apply, HttpRequest request, CancellationToken cancel)
    {
        var pruning = Prune(prune);
        var root = ExportEndpoints.ParseBody(await ExportEndpoints.ReadBody(request, log, cancel), ExportEndpoints.IsYaml(request.ContentType));
        var outcome = await boards.Run(name, root, JsonInputErrors.Describe, pruning, apply, cancel);
        if (apply && outcome is BoardChanged { Changes: var done } applied)
            log.LogInformation("Applied board {Board}{Prune}: {Created} created, {Updated} updated, {Removed} removed, {Unchanged} unchanged",
                applied.Board, pruning ? " with prune" : "", done.Create.Count, done.Update.Count, done.Remove.Count, done.Unchanged.Count);
        return outcome switch
        {
            BoardChanged changed => ApiResults.Json(changed.Changes),
            BoardInvalid invalid => throw new BadInputException(invalid.Errors),
            BoardConflicted conflicted => ApiResults.Problem(StatusCodes.Status409Conflict, conflicted.Describe(), new Dictionary<string, object?>
            {
                ["conflicts"] = conflicted.Conflicts.Select(c => new Dictionary<string, object?> { ["field"] = $"jobs[{c.Index}]", ["job"] = c.JobId, ["board"] = c.Owner }).ToList(),
            }),
            BoardStopped stopped => Stopped(stopped),
            _ => throw new InvalidOperationException($"Unexpected board outcome {outcome.GetType().Name}."),
        };
    }

    /// <summary>A job refused its change after the checks passed (changed meanwhile): what was applied until then, under <c>applied</c>.</summary>
    private IResult Stopped(BoardStopped stopped)
    {
        log.LogWarning("Board {Board} apply stopped: {Message}", stopped.Board, stopped.Message);
        return ApiResults.Problem(ExportEndpoints.StatusOf(stopped.Kind), $"{stopped.Message} The apply stopped there; what it did is under 'applied'. Applying the file again is safe.",
            new Dictionary<string, object?> { ["applied"] = stopped.Applied });
    }

    private static bool Prune(string? prune) => ApiInput.Text(prune, "prune") switch
    {
        null or "false" => false,
        "true" => true,
        var text => throw new BadInputException("prune", $"'{text}' is not true or false."),
    };
}

/// <summary><c>GET /api/v1/boards</c>: every board, by name.</summary>
internal sealed record BoardList(IReadOnlyList<BoardSummary> Items);
