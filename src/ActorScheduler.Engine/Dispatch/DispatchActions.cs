using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>What the dispatcher does after a decision of <see cref="Placements"/>.</summary>
public abstract record DispatchAction;

/// <summary>Send the run to the worker at <paramref name="Worker"/> and expect its <see cref="RunAccepted"/> in time.</summary>
public sealed record SendStart(Address Worker, DispatchRun Run) : DispatchAction;

public sealed record SendStop(Address Worker, RunId RunId) : DispatchAction;

/// <summary>Ask the worker about the run and expect its <see cref="RunProbed"/> in time.</summary>
public sealed record SendProbe(Address Worker, RunId RunId) : DispatchAction;

/// <summary>Tell the run's job that the run is lost (its retry policy decides what follows).</summary>
public sealed record ReportLost(DispatchRun Run, string Why) : DispatchAction;

/// <summary>Tell the run's job that the run it canceled never started a process: it ends as canceled.</summary>
public sealed record ReportCanceled(RunId RunId, long FencingToken, string Why) : DispatchAction;

/// <summary>Something an operator should read in the log.</summary>
public sealed record Notice(string Text, bool Warning = false) : DispatchAction;

/// <summary>Ask the permit keeper for a permit of the run's concurrency key (answered with a grant, now or later).</summary>
public sealed record AskPermit(DispatchRun Run) : DispatchAction;

/// <summary>Tell the permit keeper the run holds a permit of <paramref name="Key"/> already.</summary>
public sealed record ClaimPermit(string Key, RunId RunId) : DispatchAction;

/// <summary>Tell the permit keeper the run's permit is free (or that it no longer waits for one).</summary>
public sealed record ReturnPermit(RunId RunId, PermitRelease Why) : DispatchAction;

/// <summary>Tell the permit keeper that every permit held here and every run waiting here has been sent to it.</summary>
public sealed record ClaimsTold : DispatchAction;
