using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Serialization;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests;

public sealed class JobJournalSerializerSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    public static TheoryData<JobEvent> Samples() => new(JournalSamples.Events);

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
        var sampled = JournalSamples.Events.Select(e => e.GetType()).ToHashSet();

        foreach (var type in eventTypes)
        {
            Assert.True(JobJournalSerializer.Manifests.ContainsKey(type), $"{type.Name} has no journal manifest");
            Assert.True(sampled.Contains(type), $"{type.Name} has no round-trip sample");
        }
    }

    [Fact]
    public void Should_round_trip_a_snapshot_of_a_job_with_runs_in_flight_and_history()
    {
        var state = JournalSamples.Snapshot();
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
