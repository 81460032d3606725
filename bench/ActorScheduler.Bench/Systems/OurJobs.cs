using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Bench.Systems;

/// <summary>A bench job as ActorScheduler's job definition (docs/API.md), tagged with its group.</summary>
public static class OurJobs
{
    public static JobDefinition Definition(BenchJob job) => new()
    {
        Id = job.Id,
        Schedule = job.Every is { } every
            ? new ScheduleSpec { Every = RepeatPeriod.FromFixed(every), Start = job.First }
            : new ScheduleSpec { At = job.First },
        MaxRuns = job.Runs,
        Run = new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } },
        Tags = [job.Group],
    };
}
