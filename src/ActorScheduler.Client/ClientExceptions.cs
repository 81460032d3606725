using ActorScheduler.Client.Protocol;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client;

/// <summary>Anything the client reports about the cluster or a request; the message is written for the application's log.</summary>
public class ActorSchedulerException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The cluster refused the request; <see cref="Kind"/> says why (the HTTP API answers the same cases with 400,
/// 404 and 409) and the message is the server's own explanation.
/// </summary>
public abstract class RequestRefusedException(RejectionKind kind, string message) : ActorSchedulerException(message)
{
    /// <summary>Why the cluster refused: invalid, not found, conflict, stale or unreadable.</summary>
    public RejectionKind Kind { get; } = kind;

    internal static RequestRefusedException From(RequestRefused refused) => refused.Kind switch
    {
        RejectionKind.Invalid => new InvalidJobException(refused.Message, []),
        RejectionKind.NotFound => new JobNotFoundException(refused.Message),
        RejectionKind.Conflict => new JobConflictException(refused.Message),
        RejectionKind.Unreadable => new JobUnreadableException(refused.Message),
        _ => new StaleRequestException(refused.Message),
    };
}

/// <summary>A definition or argument that can never be accepted; <see cref="Errors"/> names each field when the client checked it.</summary>
public sealed class InvalidJobException(string message, IReadOnlyList<string> errors) : RequestRefusedException(RejectionKind.Invalid, message)
{
    /// <summary>One entry per bad field when the client checked the definition itself; empty when the cluster refused it.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>The job (or run) does not exist.</summary>
public sealed class JobNotFoundException(string message) : RequestRefusedException(RejectionKind.NotFound, message);

/// <summary>The job's state forbids the request: the id exists already (create), maxRuns is reached, overlap refuses a run.</summary>
public sealed class JobConflictException(string message) : RequestRefusedException(RejectionKind.Conflict, message);

/// <summary>The request refers to something the job has moved past (a superseded run report).</summary>
public sealed class StaleRequestException(string message) : RequestRefusedException(RejectionKind.Stale, message);

/// <summary>The job's stored history no longer decodes (an operator must repair or remove it); other jobs are unaffected.</summary>
public sealed class JobUnreadableException(string message) : RequestRefusedException(RejectionKind.Unreadable, message);

/// <summary>
/// The cluster has an API token and the client sent none, or the wrong one
/// (<see cref="ActorSchedulerClientOptions.Token"/>); nothing was done.
/// </summary>
public sealed class UnauthorizedException(string message) : ActorSchedulerException(message);

/// <summary>No node answered in time: none of the contact points is reachable, or the cluster is too busy to answer.</summary>
public sealed class SchedulerUnavailableException(string message, IReadOnlyList<string> contactPoints, Exception? inner = null)
    : ActorSchedulerException(message, inner)
{
    /// <summary>The contact points the client tried.</summary>
    public IReadOnlyList<string> ContactPoints { get; } = contactPoints;
}
