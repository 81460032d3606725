using ActorScheduler.Client.Protocol;
using ActorScheduler.Core.Boards;

namespace ActorScheduler.Client;

// Job boards (docs/API.md, "Job boards"): a board file { board, defaults, jobs } is the whole truth about its jobs.
// Refusals as for jobs: an invalid file is an InvalidJobException naming the job and field (nothing applied), a job
// another board (or none) owns a JobConflictException.
public sealed partial class ActorSchedulerClient
{
    /// <summary>What applying the board file (its JSON) would create, update and, with <paramref name="prune"/>, remove; nothing changes.</summary>
    public Task<BoardAnswer> DiffBoardAsync(string document, bool prune = false, string? board = null, CancellationToken cancel = default) =>
        RequestAsync<BoardAnswer>(new BoardRequest(board, document, prune, Apply: false), cancel);

    /// <summary>Creates and updates the board's jobs as the file defines them; with <paramref name="prune"/> cancels those it no longer has.</summary>
    public Task<BoardAnswer> ApplyBoardAsync(string document, bool prune = false, string? board = null, CancellationToken cancel = default) =>
        RequestAsync<BoardAnswer>(new BoardRequest(board, document, prune, Apply: true), cancel);

    /// <summary>Every board some job belongs to, with its jobs counted by status.</summary>
    public async Task<IReadOnlyList<BoardSummaryView>> ListBoardsAsync(CancellationToken cancel = default) =>
        (await RequestAsync<BoardListAnswer>(new ListBoardsRequest(), cancel)).Boards;
}
