using ActorScheduler.Core.Boards;

namespace ActorScheduler.Client.Protocol;

// Job boards over the client protocol (the HTTP API's /api/v1/boards), with the same wire rules as ClientMessages:
// stable manifests in ClientProtocolSerializer, fields added only as optional ones.

/// <summary>A request about job boards; the client service hands these to its board handler.</summary>
public interface IBoardRequest : IClientRequest;

/// <summary>
/// Diffs (<paramref name="Apply"/> false: nothing changes) or applies a board file, <paramref name="Document"/> the
/// file's JSON (<c>{ "board", "defaults", "jobs" }</c>); <paramref name="Board"/>, when given, must be the file's board
/// or fills it in. Answered with <see cref="BoardAnswer"/>, or refused: Invalid naming the job and field, Conflict naming
/// the jobs another board (or none) owns.
/// </summary>
public sealed record BoardRequest(string? Board, string Document, bool Prune, bool Apply) : ClientCall, IBoardRequest;

/// <summary>Every board some job belongs to; answered with <see cref="BoardListAnswer"/>.</summary>
public sealed record ListBoardsRequest : ClientCall, IBoardRequest;

/// <summary>What a diff would do or an apply did, per job.</summary>
/// <param name="Board">The board's name.</param>
/// <param name="Changes">The jobs to create, update, remove, left unchanged, and (without prune) not in the file.</param>
public sealed record BoardAnswer(string Board, BoardChanges Changes) : IClientProtocolMessage;

/// <summary>A board: its jobs not canceled, and all its jobs counted by status.</summary>
/// <param name="Name">The board's name.</param>
/// <param name="Jobs">Its jobs that are not canceled.</param>
/// <param name="ByStatus">All its jobs, counted by status.</param>
public sealed record BoardSummaryView(string Name, long Jobs, IReadOnlyDictionary<string, long> ByStatus);

/// <summary>The boards, by name.</summary>
/// <param name="Boards">Every board some job belongs to.</param>
public sealed record BoardListAnswer(IReadOnlyList<BoardSummaryView> Boards) : IClientProtocolMessage;
