namespace ActorScheduler.Engine.Persistence;

/// <summary>
/// Stands in, during a recovery, for a journal row or snapshot that does not decode. The job then recovers knowing
/// it is unreadable and answers every request with that at once, instead of failing its recovery again and again
/// while its callers wait for a time-out. Never stored; other jobs are unaffected.
/// </summary>
public sealed record UnreadableRecord(string PersistenceId, long SequenceNr, string? Manifest, string Reason);
