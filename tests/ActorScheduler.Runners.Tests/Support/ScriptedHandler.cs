using System.Collections.Concurrent;
using ActorScheduler.Runners.Handlers;

namespace ActorScheduler.Runners.Tests.Support;

/// <summary>A handler whose body a spec supplies; it records which hooks ran and with what result.</summary>
internal sealed class ScriptedHandler(string name, Func<HandlerContext, CancellationToken, Task<HandlerOutcome>> body) : IJobHandler
{
    public string Name => name;

    public ConcurrentQueue<(string Hook, RunResult Result)> Hooks { get; } = new();

    public Func<Task>? HookBody { get; init; }

    /// <summary>Completes when the handler body has started.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<HandlerOutcome> RunAsync(HandlerContext context, CancellationToken cancel)
    {
        Started.TrySetResult();
        return body(context, cancel);
    }

    public Task OnSucceeded(HandlerContext context, RunResult result, CancellationToken cancel) => Hook("OnSucceeded", result);

    public Task OnFailed(HandlerContext context, RunResult result, CancellationToken cancel) => Hook("OnFailed", result);

    public Task OnAborted(HandlerContext context, RunResult result, CancellationToken cancel) => Hook("OnAborted", result);

    private Task Hook(string hook, RunResult result)
    {
        Hooks.Enqueue((hook, result));
        return HookBody?.Invoke() ?? Task.CompletedTask;
    }
}
