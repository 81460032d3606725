using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Serialization;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// A definition with several schedules, exclusions and jitter is journaled and read back unchanged; its new fields are
/// optional members of the existing JobDefined manifest, so journals written before them read as they always did.
/// </summary>
public sealed class ScheduleSetJournalSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    [Fact]
    public void Should_round_trip_schedules_exclusions_and_jitter_when_journaling_a_definition()
    {
        var definition = CoreJson.Deserialize<JobDefinition>("""
            {
              "id": "holiday-aware", "run": { "handler": { "name": "noop" } },
              "schedules": [ { "cron": "0 30 2 * * *", "timeZone": "Europe/Amsterdam" }, { "every": { "h": 6 }, "start": "2026-01-01T00:00:00Z" } ],
              "exclude": [ { "dates": [ "2026-12-25", "2026-12-26" ] }, { "cron": "* * * * 6,0", "timeZone": "UTC" } ],
              "jitter": "PT30S"
            }
            """);
        var original = new JobDefined(definition, true, JournalSamples.At.AddHours(1), JournalSamples.At);

        var serializer = (JobJournalSerializer)Sys.Serialization.FindSerializerFor(original);
        var restored = (JobDefined)serializer.FromBinary(serializer.ToBinary(original), serializer.Manifest(original));

        Assert.Equal(CoreJson.Serialize(original), CoreJson.Serialize(restored));
        Assert.Equal([new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26)], restored.Definition.Exclude![0].Dates!);
        Assert.Equal(TimeSpan.FromSeconds(30), restored.Definition.Jitter);
        Assert.Equal(2, restored.Definition.Schedules!.Count);
    }
}
