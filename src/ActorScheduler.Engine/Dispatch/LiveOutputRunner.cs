using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Runners;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The worker's runner with live output: what a run reports through <see cref="IRunObserver.Output"/> goes into the
/// node's <see cref="LiveOutputBuffer"/> from the run's start to its end, and on to the worker's own observer.
/// </summary>
/// <remarks>
/// Wrapping the runner, rather than the worker actor's <see cref="RunObserver"/>, gives the run's start and end
/// without the worker actor knowing: readers see exactly the time the runner works on the run.
/// </remarks>
public sealed class LiveOutputRunner(IRunner runner, LiveOutputBuffer buffer) : IRunner
{
    public bool CanRun(RunSpec spec) => runner.CanRun(spec);

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        buffer.Begin(request.RunId, request.Attempt);
        try
        {
            return await runner.RunAsync(request, new Observer(request.RunId, observer, buffer), cancel).ConfigureAwait(false);
        }
        finally
        {
            buffer.End(request.RunId);
        }
    }

    /// <summary>Called on the runner's thread: appending is a short lock, never a message or a wait.</summary>
    private sealed class Observer(RunId runId, IRunObserver inner, LiveOutputBuffer buffer) : IRunObserver
    {
        public void Progress(long current, long? max) => inner.Progress(current, max);

        public void Emit(string eventName, JsonElement? data) => inner.Emit(eventName, data);

        public void Output(string line)
        {
            buffer.Append(runId, line);
            inner.Output(line);
        }
    }
}
