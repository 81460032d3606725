using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client.Protocol;

// Run outcomes pushed to a client. The sequence, as one client's outcome listener sees it:
//
//   client                                      receptionist / service (any gateway or scheduler node)
//     | WatchOutcomes(v, jobs, runs, lease) ------>  replaces this client's interests, renews its lease
//     | <------------------ OutcomesWatched(v)       (the reply also keeps the response tunnel alive)
//     | <------------------ RunSettled / RunUnknown  awaited runs already finished, or unknown, are answered now
//     |                                              ...later, a run finishes anywhere in the cluster:
//     | <------------------ JobRunFinished(run)      to clients watching its job
//     | <------------------ RunSettled(awaited, run) to clients awaiting it (or an earlier attempt it retries)
//     | WatchOutcomes(v+1, ...) every keep-alive ->  re-registers on whichever node the client reaches now
//
// Interests live on the service only as long as the lease: a client that goes away leaves nothing behind.

/// <summary>
/// The client's whole interest in outcomes: jobs whose finished runs it streams and runs it awaits. Each one
/// replaces the previous one, so a resend after a reconnect is complete by itself. The service forgets the
/// client when <paramref name="Lease"/> passes without a renewal.
/// </summary>
public sealed record WatchOutcomes(long Version, IReadOnlyList<JobId> Jobs, IReadOnlyList<RunId> Runs, TimeSpan Lease) : ClientCall;

/// <summary>The service holds the interests sent with <paramref name="Version"/>.</summary>
public sealed record OutcomesWatched(long Version) : IClientProtocolMessage;

/// <summary>
/// An awaited run is over for good: <paramref name="Final"/> is its last attempt (the run itself, or the retry
/// that ended its chain of attempts).
/// </summary>
public sealed record RunSettled(RunId Awaited, RunView Final) : IClientProtocolMessage;

/// <summary>An awaited run does not exist (or is older than the history its job keeps).</summary>
public sealed record RunUnknown(RunId Awaited, string Message) : IClientProtocolMessage;

/// <summary>A run of a watched job ended for good (no retry follows it).</summary>
public sealed record JobRunFinished(RunView Run) : IClientProtocolMessage;
