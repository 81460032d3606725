using ActorScheduler.Bench.Measure;
using Quartz;
using Quartz.Extensibility;

namespace ActorScheduler.Bench.Systems;

/// <summary>Quartz's side of the no-op job: records (scheduled fire time, started now) and returns.</summary>
public sealed class RecordingJob(FireLog fires) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        fires.Record(context.JobDetail.Key.Name, context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Hands every firing a <see cref="RecordingJob"/> bound to the run's fire log.</summary>
public sealed class RecordingJobFactory(FireLog fires) : IJobFactory
{
    public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new JobScope(new RecordingJob(fires), null));

    public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
