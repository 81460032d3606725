using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners;

namespace ActorScheduler.Engine.Protocol;

// Job → dispatcher.

/// <summary>
/// A run to place on a worker: what the worker runs, and the job's placement wishes; how it came to run (a catch-up
/// run waits for the node's catch-up budget) and how many triggered runs led to it (its completion and events carry
/// the depth on).
/// </summary>
/// <param name="TraceParent">The W3C traceparent of the run's dispatch span, the parent of its run span on the worker (docs/TELEMETRY.md); null when not traced.</param>
public sealed record DispatchRun(
    RunRequest Request, string? Worker, string? NotWorker, bool StrictWorker, RunTrigger Trigger = RunTrigger.Manual, string? TraceParent = null)
{
    public int ChainDepth => Request.ChainDepth;

    public RunId RunId => Request.RunId;

    public JobId JobId => Request.JobId;

    public long FencingToken => Request.FencingToken;

    /// <summary>The job's concurrency key and limit: the run is placed only once it holds a permit of the key (null: no key).</summary>
    public ConcurrencySpec? Concurrency { get; init; }

    /// <summary>The in-flight run <paramref name="runId"/> of <paramref name="state"/>, as its worker receives it.</summary>
    public static DispatchRun For(JobState state, RunId runId)
    {
        var run = state.InFlight.Find(r => r.RunId == runId)
            ?? throw new InvalidOperationException($"Run {runId} is not in flight.");
        var d = state.Definition;
        var request = new RunRequest(state.Id, run.RunId, run.Attempt, run.FencingToken, run.ScheduledFor, d.Run!, d.Timeout, run.Data ?? d.Data, run.ChainDepth, state.LastResult);
        return new DispatchRun(request, d.Worker, d.NotWorker, d.StrictWorker, run.Trigger) { Concurrency = d.Concurrency };
    }
}

/// <summary>
/// The job asks to stop a run; <paramref name="Worker"/> is the node name it started on, if known (a pending run's
/// is not). The run stays in flight at the job until its worker reports its end, or the dispatcher that it never
/// reached a worker (then the dispatcher reports it canceled under <paramref name="FencingToken"/>).
/// </summary>
public sealed record CancelDispatchedRun(RunId RunId, string? Worker, long FencingToken);

/// <summary>After recovery: make sure a run the journal says is running really is, or report it lost.</summary>
public sealed record ReconcileRun(DispatchRun Run, RunStatus Status, string? Worker);

// Dispatcher → worker.

public sealed record StartRun(DispatchRun Run);

public sealed record StopRun(RunId RunId);

public sealed record ProbeRun(RunId RunId);

// Worker → dispatcher.

/// <summary>The worker took the run (sent again if it does not say so in time; a worker ignores duplicates).</summary>
public sealed record RunAccepted(RunId RunId);

/// <summary>What a worker knows of a run: running, finished (its report is on the way) or unknown.</summary>
public enum ProbeAnswer { Unknown, Running, Finished }

public sealed record RunProbed(RunId RunId, ProbeAnswer Answer);

/// <summary>
/// The worker did not take the run: it is stopping (the dispatcher no longer picks it and places the run elsewhere),
/// or all its slots are taken (<paramref name="Full"/>: the run waits, or goes elsewhere, and the worker is tried again).
/// </summary>
public sealed record RunRefused(RunId RunId, string Reason, bool Full = false);

/// <summary>A worker is done with a run (any outcome): frees its slot in the dispatcher's accounting.</summary>
public sealed record WorkerReleased(RunId RunId);

// Node → its own worker, at a graceful stop.

/// <summary>
/// The node is stopping: take no new runs, and answer <see cref="WorkerDrained"/> once every run in flight has
/// finished and its outcome is acknowledged by its job (the shutdown waits for that, up to the drain timeout).
/// </summary>
public sealed record DrainWorker
{
    public static readonly DrainWorker Instance = new();
}

public sealed record WorkerDrained
{
    public static readonly WorkerDrained Instance = new();
}

// Command host → a worker (any node), for `schedctl workers`.

/// <summary>What a worker is doing: answered with <see cref="WorkerStatus"/>.</summary>
public sealed record GetWorkerStatus
{
    public static readonly GetWorkerStatus Instance = new();
}

/// <param name="Runs">The ids of the runs in flight, oldest first.</param>
public sealed record WorkerStatus(string Name, int InFlight, int Slots, bool Draining, int Unacknowledged, IReadOnlyList<string> Runs);
