using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners;

namespace ActorScheduler.Engine.Tests.LiveOutput;

/// <summary>A runner that prints <c>first</c>, waits until the spec releases it, then prints <c>second</c> and succeeds.</summary>
public sealed class PrintingRunner : IRunner
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool CanRun(RunSpec spec) => true;

    public void Release() => _release.TrySetResult();

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        observer.Output("first\n");
        await _release.Task.WaitAsync(cancel);
        observer.Output("second\n");
        return new RunResult(RunStatus.Succeeded, 0, "first\nsecond\n", null);
    }
}
