using ActorScheduler.Bench.Measure;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Runners;

namespace ActorScheduler.Bench.Systems;

/// <summary>ActorScheduler's side of the no-op job: records (scheduled for, started now) and succeeds.</summary>
public sealed class RecordingRunner(FireLog fires) : IRunner
{
    public bool CanRun(RunSpec spec) => spec.Handler is not null;

    public Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        fires.Record(request.JobId.Value, request.ScheduledFor);
        return Task.FromResult(RunResult.Succeeded());
    }
}
