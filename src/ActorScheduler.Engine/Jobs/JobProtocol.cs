using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.Jobs;

/// <summary>What travels through the <c>job</c> shard region: the job's id and one message for it.</summary>
public sealed record JobEnvelope(string JobId, object Message);

/// <summary>Ask a job to carry out a command; answered with <see cref="JobReply"/>.</summary>
public sealed record JobRequest(JobCommand Command);

/// <summary>Queries answered from the entity's state (it is the authority for its own job).</summary>
public sealed record GetJob;

public sealed record GetRuns;

public sealed record GetRun(RunId RunId);

/// <summary>
/// The answer to a request or query: a value, or the refusal kind and message. Kinds map to HTTP status codes
/// in the gateway (Invalid 400, NotFound 404, Conflict and Stale 409).
/// </summary>
public sealed record JobReply(JobView? View, RunId? RunId, IReadOnlyList<RunView>? Runs, RejectionKind? Refusal, string? Message)
{
    public bool IsOk => Refusal is null;

    /// <summary>The command created the job (a PUT answers 201 rather than 200).</summary>
    public bool Created { get; init; }

    public static JobReply Of(JobView view, RunId? runId = null) => new(view, runId, null, null, null);

    public static JobReply OfRuns(IReadOnlyList<RunView> runs) => new(null, null, runs, null, null);

    public static JobReply Refused(RejectionKind kind, string message) => new(null, null, null, kind, message);
}

/// <summary>One journaled event as the history endpoint shows it.</summary>
public sealed record HistoryEntry(long Seq, string Type, DateTimeOffset At, JsonElement? Data);

/// <summary>A page of the job list, ordered by id; <see cref="Next"/> is the cursor for the following page.</summary>
public sealed record JobPage(IReadOnlyList<JobView> Items, string? Next);

public sealed record JobListQuery(JobStatus? Status, string? Worker, string? Tag, int Limit, string? After);
