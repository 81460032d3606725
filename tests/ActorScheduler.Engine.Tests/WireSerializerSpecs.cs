using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using ActorScheduler.Runners;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests;

/// <summary>Messages between nodes: each kind is bound to the wire serializer and survives the trip.</summary>
public sealed class WireSerializerSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    private static readonly DateTimeOffset At = JournalSamples.At;
    private static readonly JobId Job = JournalSamples.Job;
    private static readonly RunId Run = JournalSamples.Run;
    private static readonly JsonElement Data = JournalSamples.Data;

    private static readonly JobDefinition Definition = CoreJson.Deserialize<JobDefinition>("""
        {
          "id": "nightly-billing",
          "schedule": { "cron": "0 30 2 * * *", "timeZone": "Europe/Amsterdam" },
          "run": { "shell": { "command": ["bash", "-c", "echo hi"], "env": { "A": "1" } } },
          "worker": "workers", "retry": { "maxAttempts": 3, "delay": "PT1S" }, "timeout": "PT5M",
          "triggers": [ { "job": "extract", "on": "succeeded" }, { "event": "foo-event" } ],
          "tags": ["billing"], "data": { "customer": 1234 }
        }
        """);

    private static readonly JobDefinition Listener = CoreJson.Deserialize<JobDefinition>("""
        { "id": "listener", "triggers": [ { "event": "ping" } ], "run": { "handler": { "name": "echo" } } }
        """);

    private static JobView View(JobDefinition definition)
    {
        var state = JobState.Empty(JobId.Parse(definition.Id!)).Apply(new JobDefined(definition, true, At.AddHours(1), At));
        return JobView.From(state);
    }

    private static readonly DispatchRun Dispatch = new(
        new RunRequest(Job, Run, 2, 42, At, Definition.Run!, TimeSpan.FromMinutes(5), Data), "workers", "old-box", true);

    public static TheoryData<object> Samples() => new(
        new JobEnvelope(Job, new JobRequest(new DefineJob(Definition, true))),
        new JobEnvelope(JobId.Parse("listener"), new JobRequest(new DefineJob(Listener, false))),
        new JobEnvelope(Job, new JobRequest(new TriggerJob(RunTrigger.Event, Data, "event:ping"))),
        new JobEnvelope(Job, new JobRequest(new ReportRunFinished(Run, 42, RunStatus.Failed, 1, "out", "boom", "w1", At))),
        new JobEnvelope(Job, new JobRequest(new ReportRunStarted(Run, 42, "w1"))),
        new JobEnvelope(Job, new JobRequest(new WakeUp(9))),
        new JobEnvelope(Job, new JobRequest(new EnableJob())),
        new JobEnvelope(Job, GetJob.Instance),
        new JobEnvelope(Job, GetRuns.Instance),
        new JobEnvelope(Job, new GetRun(Run)),
        new CreateJob(Definition),
        new CreateJob(Listener),
        new JobAccepted(View(Definition), Run, Created: true),
        new JobAccepted(View(Listener)),
        new JobFound(View(Listener)),
        new RunsListed([]),
        new JobRefused(RejectionKind.Conflict, "Job 'x' exists."),
        Dispatch,
        new StartRun(Dispatch),
        new ReconcileRun(Dispatch, RunStatus.Running, "w1"),
        new CancelDispatchedRun(Run, "w1", 7),
        new StopRun(Run), new ProbeRun(Run), new RunAccepted(Run), new RunProbed(Run, ProbeAnswer.Running), new WorkerReleased(Run),
        new RunRefused(Run, "worker w1 is stopping"),
        Dispatch with { Concurrency = new ConcurrencySpec { Key = "customer-1234", Limit = 2 } },
        new AcquirePermit("customer-1234", 2, Run), new ReclaimPermit("customer-1234", Run), new ReleasePermit(Run, PermitRelease.Lost),
        new PermitGranted(Run, Guid.NewGuid()), new PermitRefused(Run, "full"), GetPermitKeeper.Instance, new PermitKeeperIs(Guid.NewGuid()),
        new JobEnvelope(Job, new IsRunInFlight(Run)), new RunInFlightAnswer(Run, true),
        new RunCompleted(Job, Run, RunStatus.Succeeded, "ok"),
        new EventEmitted("ping", Data, Run));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Should_carry_every_message_between_nodes_through_the_wire_serializer(object original)
    {
        var serializer = Sys.Serialization.FindSerializerFor(original);
        Assert.IsType<WireSerializer>(serializer);

        var wire = (WireSerializer)serializer;
        var restored = wire.FromBinary(wire.ToBinary(original), wire.Manifest(original));

        Assert.IsType(original.GetType(), restored);
        Assert.Equal(Describe(original), Describe(restored));
    }

    [Fact]
    public void Should_refuse_a_type_that_is_not_one_of_ours()
    {
        var wire = new WireSerializer((Akka.Actor.ExtendedActorSystem)Sys);

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => wire.FromBinary("{}"u8.ToArray(), "System.IO.FileInfo"));

        Assert.Contains("System.IO.FileInfo", error.Message);
    }

    [Fact]
    public void Should_refuse_a_tagged_value_of_a_type_that_is_not_one_of_ours()
    {
        var wire = new WireSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var json = """{"jobId":"x","message":{"type":"System.IO.FileInfo","value":{}}}"""u8.ToArray();

        Assert.ThrowsAny<JsonException>(() => wire.FromBinary(json, typeof(JobEnvelope).FullName!));
    }

    private static string Describe(object message) => JsonSerializer.Serialize(message, message.GetType(), WireOptions);

    private static readonly JsonSerializerOptions WireOptions = new(CoreJson.Options);
}
