using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Serialization;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests;

public sealed class JobJournalSerializerSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobId Job = JobId.Parse("nightly-billing");
    private static readonly RunId Run = new(Job, 7);
    private static readonly JsonElement Data = JsonDocument.Parse("""{"customer":1234,"tags":["a"]}""").RootElement;

    private static readonly JobDefinition Definition = CoreJson.Deserialize<JobDefinition>("""
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

    private static readonly JobEvent[] SampleEvents =
    [
        new JobDefined(Definition, true, At.AddHours(1), At),
        new JobEnabled(At.AddMinutes(1), At),
        new JobDisabled(At),
        new JobPaused("maintenance", At),
        new JobResumed(null, At),
        new JobRescheduled(At.AddDays(1), At),
        new JobCanceled("retired", At),
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
    ];

    public static TheoryData<JobEvent> Samples() => new(SampleEvents);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Should_round_trip_every_journaled_event_through_the_configured_serializer(JobEvent original)
    {
        var serializer = Sys.Serialization.FindSerializerFor(original);
        Assert.IsType<JobJournalSerializer>(serializer);

        var restored = Roundtrip(original);

        Assert.IsType(original.GetType(), restored);
        Assert.Equal(CoreJson.Serialize<object>(original), CoreJson.Serialize<object>(restored));
    }

    [Fact]
    public void Should_have_a_manifest_and_a_sample_for_every_event_type()
    {
        var eventTypes = typeof(JobEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(JobEvent)) && !t.IsAbstract);
        var sampled = SampleEvents.Select(e => e.GetType()).ToHashSet();

        foreach (var type in eventTypes)
        {
            Assert.True(JobJournalSerializer.Manifests.ContainsKey(type), $"{type.Name} has no journal manifest");
            Assert.True(sampled.Contains(type), $"{type.Name} has no round-trip sample");
        }
    }

    [Fact]
    public void Should_round_trip_a_snapshot_of_a_job_with_runs_in_flight_and_history()
    {
        var state = JobState.Empty(Job);
        foreach (var e in SampleEvents.Where(e => e is not (JobCanceled or JobDisabled or RunFinished)))
            state = state.Apply(e);
        var done = new RunId(Job, 8);
        state = state.Apply(new RunDispatched(done, 1, RunTrigger.Manual, At, 43, null, null, At))
            .Apply(new RunFinished(done, RunStatus.Succeeded, 0, "ok", null, null, At));
        Assert.NotEmpty(state.InFlight);
        Assert.NotEmpty(state.Recent);

        var restored = (JobState)Roundtrip(state);

        Assert.Equal(CoreJson.Serialize(state), CoreJson.Serialize(restored));
        Assert.Equal(state.Status, restored.Status);
        Assert.Equal(state.NextWakeAt, restored.NextWakeAt);
    }

    [Fact]
    public void Should_name_the_manifest_when_it_is_unknown()
    {
        var serializer = new JobJournalSerializer((Akka.Actor.ExtendedActorSystem)Sys);

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "job-exploded.v9"));

        Assert.Contains("job-exploded.v9", error.Message);
    }

    private object Roundtrip(object value)
    {
        var serializer = (JobJournalSerializer)Sys.Serialization.FindSerializerFor(value);
        return serializer.FromBinary(serializer.ToBinary(value), serializer.Manifest(value));
    }
}
