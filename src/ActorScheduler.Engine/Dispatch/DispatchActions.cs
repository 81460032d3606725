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
