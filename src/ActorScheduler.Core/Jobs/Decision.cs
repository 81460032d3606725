namespace ActorScheduler.Core.Jobs;

/// <summary>The answer of Decide: the events to persist (possibly none), or why the command is refused.</summary>
public abstract record Decision
{
    public static Decision Accept(params JobEvent[] events) => new Accepted(events);

    public static Decision NotFound(string message) => new Rejected(RejectionKind.NotFound, message);

    public static Decision Conflict(string message) => new Rejected(RejectionKind.Conflict, message);

    public static Decision Invalid(string message) => new Rejected(RejectionKind.Invalid, message);

    public static Decision Stale(string message) => new Rejected(RejectionKind.Stale, message);
}

public sealed record Accepted(IReadOnlyList<JobEvent> Events) : Decision
{
    /// <summary>
    /// The state after <see cref="Events"/>, when the decider folded them as it decided (null: the caller folds them).
    /// A job applies this once its events are stored instead of folding them a second time.
    /// </summary>
    public JobState? After { get; init; }
}

public sealed record Rejected(RejectionKind Kind, string Message) : Decision;

/// <summary>
/// Maps to HTTP: Invalid 400, NotFound 404, Conflict 409; Stale is a superseded run report (409); Unreadable is a job
/// whose stored events no longer decode (500: the server's data, not the request, is at fault). Append only.
/// </summary>
public enum RejectionKind { Invalid = 0, NotFound = 1, Conflict = 2, Stale = 3, Unreadable = 4 }
