namespace ActorScheduler.Engine.Dispatch;

/// <param name="AcceptTimeout">A run not accepted by its worker within this is placed again.</param>
/// <param name="ProbeTimeout">A worker that does not answer a probe within this has lost the run.</param>
/// <param name="MaxCatchUpInFlight">Catch-up runs this node has placed at once at most: after an outage, catch-up is paced.</param>
/// <param name="RetryFullAfter">How long a worker that said it was full is left alone before runs are offered to it again.</param>
/// <param name="PermitKeeperPing">How often a dispatcher with runs of concurrency keys asks which permit keeper answers (a new one is told what the dispatcher holds and waits for), and asks again for runs the keeper refused to queue.</param>
public sealed record DispatchSettings(TimeSpan AcceptTimeout, TimeSpan ProbeTimeout, int MaxCatchUpInFlight, TimeSpan RetryFullAfter, TimeSpan PermitKeeperPing);
