using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Engine.Protocol;

/// <summary>What travels through the <c>job</c> shard region: the job's id and one message for it.</summary>
public sealed record JobEnvelope(JobId JobId, JobMessage Message);

/// <summary>What a job entity is asked: a command to carry out, or a query answered from its state.</summary>
public abstract record JobMessage;

/// <summary>Carry out a command; answered with <see cref="JobAccepted"/> or <see cref="JobRefused"/>.</summary>
/// <param name="TraceParent">
/// The W3C traceparent of the span the command comes from, when traced (docs/TELEMETRY.md): a worker's run span for
/// its outcome report (the parent of the job's outcome span), or the triggering run's span for a trigger (linked from
/// the triggered run's dispatch span). Not journaled.
/// </param>
public sealed record JobRequest(JobCommand Command, string? TraceParent = null) : JobMessage;

/// <summary>Answered with <see cref="JobFound"/>, or <see cref="JobRefused"/> when the job does not exist.</summary>
public sealed record GetJob : JobMessage
{
    public static readonly GetJob Instance = new();
}

/// <summary>Answered with <see cref="JobDescribed"/>, or <see cref="JobRefused"/> when the job does not exist.</summary>
public sealed record DescribeJob : JobMessage
{
    public static readonly DescribeJob Instance = new();
}

/// <summary>Answered with <see cref="RunsListed"/>: the runs in flight, then the recent finished ones, newest first.</summary>
public sealed record GetRuns : JobMessage
{
    public static readonly GetRuns Instance = new();
}

/// <summary>Answered with <see cref="RunFound"/>, or <see cref="JobRefused"/> when the job does not know the run.</summary>
public sealed record GetRun(RunId RunId) : JobMessage;

/// <summary>
/// From retention: remove the job, journal and rows, if by its own state it has ended and its removal period under
/// <paramref name="Policy"/> has passed. Answered with <see cref="RetentionChecked"/>.
/// </summary>
public sealed record RemoveIfEnded(RetentionPolicy Policy) : JobMessage;

/// <summary>
/// To the job creator (POST): create a job only if its id is new, without starting its entity. Answered like a
/// <see cref="DefineJob"/> request: <see cref="JobAccepted"/> with <c>Created</c>, or <see cref="JobRefused"/>.
/// </summary>
/// <param name="By">Who creates it (the audit trail, see <c>JobEvent.By</c>).</param>
public sealed record CreateJob(JobDefinition Definition, string? By = null);

/// <summary>
/// Stops a job entity (passivation and shard hand-off), rather than a PoisonPill: Akka handles a PoisonPill even
/// while a persist is pending, which would drop the reply and the side effects of stored events.
/// </summary>
public sealed record StopJobEntity
{
    public static readonly StopJobEntity Instance = new();
}

/// <summary>
/// Every answer of a job, a closed set: the command was carried out (<see cref="JobAccepted"/>), a query found what
/// it asked for (<see cref="JobFound"/>, <see cref="RunsListed"/>, <see cref="RunFound"/>), or it was refused with
/// a reason (<see cref="JobRefused"/>).
/// </summary>
public abstract record JobReply
{
    private protected JobReply()
    {
    }
}

/// <param name="NewRun">The run the command started or buffered (a trigger's answer carries it).</param>
/// <param name="Created">The command created the job (a PUT answers 201 rather than 200).</param>
/// <param name="Backfill">What a backfill queued (its answer carries it).</param>
/// <param name="Dated">The command scheduled a dated edit rather than changing the job now (a PUT answers 202).</param>
public sealed record JobAccepted(JobView View, RunId? NewRun = null, bool Created = false, BackfillQueued? Backfill = null, bool Dated = false) : JobReply;

public sealed record JobFound(JobView View) : JobReply;

public sealed record JobDescribed(JobDescription Description) : JobReply;

public sealed record RunsListed(IReadOnlyList<RunView> Runs) : JobReply;

public sealed record RunFound(RunView Run) : JobReply;

/// <summary>Whether <see cref="RemoveIfEnded"/> removed the job.</summary>
public sealed record RetentionChecked(bool Removed) : JobReply;

/// <summary>Kinds map to HTTP status codes in the gateway: Invalid 400, NotFound 404, Conflict and Stale 409.</summary>
public sealed record JobRefused(RejectionKind Kind, string Message) : JobReply;

/// <summary>A job's persistence id is <c>job-{id}</c>: its journal rows, snapshots and index rows are keyed by it.</summary>
public static class JobPersistenceId
{
    public const string Prefix = "job-";

    public static string Of(JobId id) => Prefix + id.Value;
}
