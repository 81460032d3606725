using ActorScheduler.Core;

namespace ActorScheduler.Engine.Protocol;

// Dispatcher → permit keeper (the cluster singleton, through its proxy). The dispatcher is the sender: it hears the
// answers, and the keeper remembers it per run (a dispatcher that takes a run over asks again, and hears from then on).

/// <summary>
/// A run of a job with a concurrency key asks for a permit before it is placed: answered with
/// <see cref="PermitGranted"/>, at once or when a permit frees up, or <see cref="PermitRefused"/>. Asking again is
/// harmless (the dispatcher does after the keeper restarted).
/// </summary>
public sealed record AcquirePermit(string Key, int Limit, RunId RunId);

/// <summary>
/// The run holds a permit already (it is placed on a worker): the keeper counts it, even beyond the key's limit. Sent
/// after the keeper restarted and when a recovered job's running run is taken over. Not answered.
/// </summary>
public sealed record ReclaimPermit(string Key, RunId RunId);

/// <summary>The run's placement ended (or it no longer waits): its permit is free. Releasing twice is harmless. Not answered.</summary>
public sealed record ReleasePermit(RunId RunId, PermitRelease Why);

/// <summary>Why a permit was freed (the <c>why</c> of <c>actorscheduler_concurrency_freed_total</c>); append only.</summary>
public enum PermitRelease { Ended = 0, Lost = 1, Canceled = 2, Verified = 3 }

/// <summary>
/// The run holds a permit: it may be placed on a worker. <paramref name="Keeper"/> is the granting keeper's incarnation:
/// a grant of a keeper that has been replaced since is confirmed to the new one (which may have the run in line).
/// </summary>
public sealed record PermitGranted(RunId RunId, Guid Keeper);

/// <summary>The keeper holds its maximum of waiting runs: the run was not queued, and is asked for again later.</summary>
public sealed record PermitRefused(RunId RunId, string Reason);

/// <summary>Which keeper answers now: answered with <see cref="PermitKeeperIs"/>. A new incarnation means its book is new.</summary>
public sealed record GetPermitKeeper
{
    public static readonly GetPermitKeeper Instance = new();
}

/// <summary>The keeper's incarnation: a dispatcher that hears a new one tells it every permit it holds and waits for.</summary>
public sealed record PermitKeeperIs(Guid Incarnation);

/// <summary>
/// The dispatcher of <paramref name="Node"/> (its cluster address) has told the keeper answering now every permit it
/// holds and every run that waits: once every scheduler node has, a new keeper admits before its grace ends.
/// </summary>
public sealed record PermitClaimsTold(string Node);

// Permit keeper → a job, through the shard region: the check that frees permits of runs that ended unheard.

/// <summary>Whether the job has <paramref name="RunId"/> in flight: answered with <see cref="RunInFlightAnswer"/> (or not found).</summary>
public sealed record IsRunInFlight(RunId RunId) : JobMessage;

public sealed record RunInFlightAnswer(RunId RunId, bool InFlight) : JobReply;
