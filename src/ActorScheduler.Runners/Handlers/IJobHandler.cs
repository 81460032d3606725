using System.Text.Json;

namespace ActorScheduler.Runners.Handlers;

/// <summary>
/// .NET code a worker runs by name (<c>{ "handler": { "name": "...", "arguments": [...] } }</c>). Honour the
/// cancellation token: a handler that ignores it is abandoned at its timeout, still running, with the run
/// already reported TimedOut or Canceled.
/// </summary>
public interface IJobHandler
{
    /// <summary>The name jobs use; unique per worker, compared exactly (case-sensitive).</summary>
    string Name { get; }

    Task<HandlerOutcome> RunAsync(HandlerContext context, CancellationToken cancel);

    /// <summary>After a run that succeeded. A failing hook leaves the outcome as it is and notes itself in Error.</summary>
    Task OnSucceeded(HandlerContext context, RunResult result, CancellationToken cancel) => Task.CompletedTask;

    /// <summary>After a run that failed, its handler having thrown or returned a failure.</summary>
    Task OnFailed(HandlerContext context, RunResult result, CancellationToken cancel) => Task.CompletedTask;

    /// <summary>After a run that was aborted: timed out or canceled (see <see cref="RunResult.Outcome"/>).</summary>
    Task OnAborted(HandlerContext context, RunResult result, CancellationToken cancel) => Task.CompletedTask;
}

/// <summary>What a handler reports; an exception thrown by the handler counts as a failure with its message.</summary>
public sealed record HandlerOutcome(bool Succeeded, string Output = "", string? Error = null)
{
    public static HandlerOutcome Success(string output = "") => new(true, output);

    public static HandlerOutcome Failure(string error, string output = "") => new(false, output, error);
}

/// <summary>What a handler gets to work with: the request, its arguments and data, and the run's observer.</summary>
public sealed class HandlerContext(RunRequest request, IReadOnlyList<JsonElement> arguments, IRunObserver observer)
{
    public RunRequest Request { get; } = request;

    public IReadOnlyList<JsonElement> Arguments { get; } = arguments;

    /// <summary>The run's data: the job's data, or the data of the event or trigger that started the run.</summary>
    public JsonElement? Data => Request.Data is { ValueKind: JsonValueKind.Undefined } ? null : Request.Data;

    /// <summary>What the job's previous finished run passed on (its emitted data or output tail); null for the first run.</summary>
    public string? LastResult => Request.LastResult;

    public IRunObserver Observer { get; } = observer;

    public void Progress(long current, long? max = null) => Observer.Progress(current, max);

    public void Emit(string eventName, JsonElement? data = null) => Observer.Emit(eventName, data);

    /// <summary>Output a reader may follow while the handler runs (<see cref="IRunObserver.Output"/>); the run's recorded output is still <see cref="HandlerOutcome.Output"/>.</summary>
    public void Output(string line) => Observer.Output(line);
}
