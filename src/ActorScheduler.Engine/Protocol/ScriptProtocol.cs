using ActorScheduler.Core;
using ActorScheduler.Runners.Scripts;

namespace ActorScheduler.Engine.Protocol;

/// <summary>
/// From a gateway to the worker that runs <paramref name="RunId"/> (<c>/user/script-channel</c>): what the run's script
/// sent through the script API, under the fencing token of its run token. Answered with <see cref="ScriptCallAnswered"/>.
/// </summary>
public sealed record ScriptCall(RunId RunId, long FencingToken, ScriptMessage Message);

/// <param name="Refusal">Null when delivered; otherwise why not (the run does not run here under that token).</param>
public sealed record ScriptCallAnswered(string? Refusal);
