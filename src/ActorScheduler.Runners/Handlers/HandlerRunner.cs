using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Handlers;

public sealed record HandlerRunnerOptions
{
    /// <summary>How many bytes of a handler's output a result keeps (the tail, as for shell runs).</summary>
    public int OutputLimitBytes { get; init; } = OutputTail.DefaultCapacity;

    /// <summary>How long an OnSucceeded/OnFailed/OnAborted hook may take before the run stops waiting for it.</summary>
    public TimeSpan HookTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Runs a registered <see cref="IJobHandler"/> by name on the thread pool (a handler that blocks cannot hold
/// up the caller or its own timeout), turns its outcome or exception into a result, then calls the matching
/// hook. Timeout and cancel end the run at once even if the handler ignores its token.
/// </summary>
public sealed class HandlerRunner : IRunner
{
    private readonly HandlerRegistry registry;
    private readonly HandlerRunnerOptions options;

    public HandlerRunner(HandlerRegistry registry, HandlerRunnerOptions? options = null)
    {
        this.registry = registry;
        this.options = options ?? new HandlerRunnerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.OutputLimitBytes, 1, nameof(options));
    }

    public HandlerRegistry Registry => registry;

    public bool CanRun(RunSpec spec) => spec.Handler is not null;

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        if (request.Run?.Handler is not { } spec) return RunResult.Failed("not a handler run");
        if (string.IsNullOrWhiteSpace(spec.Name)) return RunResult.Failed("run.handler.name is required");
        if (!registry.TryGet(spec.Name, out var handler))
            return RunResult.Failed($"no handler named '{spec.Name}' on this worker (it has: {string.Join(", ", registry.Names)})");
        if (cancel.IsCancellationRequested) return RunResult.Canceled("canceled before the handler started");

        var context = new HandlerContext(request, spec.Arguments ?? [], observer);
        var result = await RunHandlerAsync(handler, context, cancel).ConfigureAwait(false);
        return await RunHookAsync(handler, context, result).ConfigureAwait(false);
    }

    private async Task<RunResult> RunHandlerAsync(IJobHandler handler, HandlerContext context, CancellationToken cancel)
    {
        using var deadline = new RunDeadline(context.Request.Timeout, cancel);
        var work = Task.Run(() => handler.RunAsync(context, deadline.Token), CancellationToken.None);
        try
        {
            var outcome = await work.WaitAsync(deadline.Token).ConfigureAwait(false);
            var output = Bounded(outcome.Output);
            return outcome.Succeeded
                ? RunResult.Succeeded(output)
                : RunResult.Failed(string.IsNullOrWhiteSpace(outcome.Error) ? $"handler '{handler.Name}' reported a failure" : outcome.Error, output);
        }
        catch (OperationCanceledException) when (deadline.IsOver)
        {
            // The handler may still be running; its eventual exception is observed so it is not reported as unobserved.
            _ = work.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            return deadline.Aborted("");
        }
        catch (Exception e)
        {
            return RunResult.Failed($"handler '{handler.Name}' threw {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<RunResult> RunHookAsync(IJobHandler handler, HandlerContext context, RunResult result)
    {
        var (name, hook) = result.Outcome switch
        {
            RunStatus.Succeeded => ("OnSucceeded", (Func<CancellationToken, Task>)(c => handler.OnSucceeded(context, result, c))),
            RunStatus.Failed => ("OnFailed", c => handler.OnFailed(context, result, c)),
            _ => ("OnAborted", c => handler.OnAborted(context, result, c)),
        };
        using var limit = new CancellationTokenSource(options.HookTimeout);
        try
        {
            await Task.Run(() => hook(limit.Token), CancellationToken.None).WaitAsync(limit.Token).ConfigureAwait(false);
            return result;
        }
        catch (Exception e)
        {
            var failure = e is OperationCanceledException && limit.IsCancellationRequested
                ? $"{name} hook did not finish within {RunDeadline.Describe(options.HookTimeout)}"
                : $"{name} hook threw {e.GetType().Name}: {e.Message}";
            return result with { Error = result.Error is null ? failure : $"{result.Error}; {failure}" };
        }
    }

    private string Bounded(string? output)
    {
        if (string.IsNullOrEmpty(output)) return "";
        var tail = new OutputTail(options.OutputLimitBytes);
        tail.Append(output);
        return tail.ToString();
    }
}
