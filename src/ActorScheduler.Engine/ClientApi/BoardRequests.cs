using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Client.Protocol;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Boards;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>A client's board request carried out by <see cref="BoardService"/>, refused as the HTTP API refuses it.</summary>
internal static class BoardRequests
{
    public static async Task<IClientProtocolMessage> Execute(JobService jobs, IBoardRequest request)
    {
        var boards = new BoardService(jobs);
        return request switch
        {
            ListBoardsRequest => new BoardListAnswer((await boards.List()).Select(b => new BoardSummaryView(b.Name, b.Jobs, b.ByStatus)).ToList()),
            BoardRequest r => await Run(boards, r),
            _ => new RequestFailed($"This node does not handle {request.GetType().Name}; is the client newer than the cluster?"),
        };
    }

    private static async Task<IClientProtocolMessage> Run(BoardService boards, BoardRequest request)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(request.Document);
        }
        catch (JsonException e)
        {
            return new RequestRefused(RejectionKind.Invalid, $"The board file is not JSON: {e.Message}");
        }
        return await boards.Run(request.Board, root, BoardService.Describe, request.Prune, request.Apply) switch
        {
            BoardChanged changed => new BoardAnswer(changed.Board, changed.Changes),
            BoardInvalid invalid => new RequestRefused(RejectionKind.Invalid, "The board file is not valid; nothing was applied: " + string.Join(" ", invalid.Errors)),
            BoardConflicted conflicted => new RequestRefused(RejectionKind.Conflict, conflicted.Describe()),
            BoardStopped stopped => new RequestRefused(stopped.Kind,
                $"{stopped.Message} The apply stopped there, after {stopped.Applied.Create.Count} created, {stopped.Applied.Update.Count} updated and " +
                $"{stopped.Applied.Remove.Count} removed. Applying the file again is safe."),
            var other => new RequestFailed($"Unexpected board outcome {other.GetType().Name}."),
        };
    }
}
