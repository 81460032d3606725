using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// One value of every journaled type: each event kind, and a snapshot of a job with runs in flight and history.
/// The round-trip specs encode them now; the golden specs compare them with what was stored when they were frozen.
/// </summary>
internal static class JournalSamples
{
    public static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    public static readonly JobId Job = JobId.Parse("nightly-billing");
    public static readonly RunId Run = new(Job, 7);
    public static readonly JsonElement Data = JsonDocument.Parse("""{"customer":1234,"tags":["a"]}""").RootElement;

    public static readonly JobDefinition Definition = CoreJson.Deserialize<JobDefinition>("""
        {
          "id": "nightly-billing",
          "schedule": { "every": { "M": 1, "d": 7 }, "start": "2026-01-31T02:30:00Z", "timeZone": "Europe/Amsterdam" },
          "window": { "start": "2026-12-01T00:00:00Z", "stop": "2027-12-01T00:00:00Z" },
          "maxRuns": 100,
          "run": { "shell": { "command": ["bash", "-c", "echo hi"], "env": { "A": "1" } } },
          "worker": "vip-worker", "strictWorker": true,
          "retry": { "maxAttempts": 3, "delay": "PT1S", "multiplier": 2.0, "maxDelay": "PT1M" },
          "timeout": "PT5M", "overlap": "bufferOne",
          "misfire": { "policy": "fireAll", "catchUpWindow": "P1D" },
          "triggers": [ { "job": "extract", "on": "succeeded" }, { "event": "foo-event" } ],
          "tags": ["billing"], "data": { "customer": 1234 }
        }
        """);

    public static readonly JobEvent[] Events =
    [
        new JobDefined(Definition, true, At.AddHours(1), At),
        new JobEnabled(At.AddMinutes(1), At),
        new JobDisabled(At),
        new JobPaused("maintenance", At),
        new JobResumed(null, At),
        new JobRescheduled(At.AddDays(1), At),
        new JobCanceled("retired", At),
        new JobRemoved("retention: done since 2026-01-01T00:00:00.0000000+00:00", 7, 42, 12, 40, At),
        new ScheduleAdvanced(At.AddSeconds(2), At),
        new RunsSkipped(RunTrigger.Schedule, At.AddHours(-3), At, 180, false, "misfire: skipped by policy (skip)", At),
        new DeferredRunDropped(Run, RunTrigger.Retry, At, "canceled", At),
        new CatchUpQueued(At.AddMinutes(-3), At.AddMinutes(-1), 3, At),
        new RunBuffered(Run, RunTrigger.Event, At, Data, At),
        new RunDispatched(Run, 2, RunTrigger.Retry, At, 42, Data, new RunId(Job, 6), At),
        new RunRedispatched(Run, 43, At),
        new RunStarted(Run, "worker-a", At),
        new RunProgressed(Run, 5, 10, At),
        new RunCancelRequested(Run, "operator", At),
        new RunFinished(Run, RunStatus.TimedOut, 137, "out\nerr", "timed out after PT5M", At.AddSeconds(4), At, "worker-a", At.AddSeconds(-5)),
        new FanInArrived(2, 1, Data, false, At),
        new EditScheduled(Definition with { Tags = ["billing", "q4"] }, At.AddDays(2), At, ["tags"]) { By = "api-token (schedctl alice@build-1)" },
        new EditDropped(At.AddDays(2), "withdrawn", At) { By = "dashboard" },
    ];

    /// <summary>The events a snapshot sample folds: all but those that end a job or its runs and those younger than the frozen snapshot, then one run that ran.</summary>
    public static IReadOnlyList<JobEvent> SnapshotHistory()
    {
        var done = new RunId(Job, 8);
        return Events.Where(e => e is not (JobCanceled or JobRemoved or JobDisabled or RunFinished or FanInArrived or EditScheduled or EditDropped))
            .Append(new RunDispatched(done, 1, RunTrigger.Manual, At, 43, null, null, At))
            .Append(new RunFinished(done, RunStatus.Succeeded, 0, "ok", null, null, At))
            .ToList();
    }

    public static JobState Snapshot() => SnapshotHistory().Aggregate(JobState.Empty(Job), (state, e) => state.Apply(e));
}
