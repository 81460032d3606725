using System.Text;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Serialization;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// What the journal holds must keep reading as it was written. Golden/ holds, per manifest, the exact bytes the
/// serializer stored when that manifest was frozen (for the v1 manifests: byte for byte what the engine stored
/// before the Engine renovation), and a frozen history of events. They are never regenerated: a change to Core that
/// renames or drops a stored property makes a sample decode to a different value and fails here, instead of
/// silently changing what is stored. A new manifest version (".v2") needs a sample of its own; the old ones stay.
/// </summary>
public sealed class GoldenJournalSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    private static readonly string Folder = Path.Combine(RepositoryFiles.Root, "tests", "ActorScheduler.Engine.Tests", "Golden");

    /// <summary>The value each frozen sample was written from, as code builds it today.</summary>
    private static readonly IReadOnlyDictionary<string, object> Expected = JournalSamples.Events
        .Select(e => KeyValuePair.Create(JobJournalSerializer.Manifests[e.GetType()], (object)e))
        .Append(KeyValuePair.Create(JobJournalSerializer.Manifests[typeof(JobState)], (object)AsStoredByV1(JournalSamples.Snapshot())))
        .ToDictionary();

    public static TheoryData<string> Manifests() => new(JobJournalSerializer.Manifests.Values.Order());

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Should_keep_a_frozen_sample_of_every_manifest(string manifest)
    {
        Assert.True(File.Exists(SamplePath(manifest)),
            $"Golden/{manifest}.json is missing: freeze a sample of what this manifest stores (its serializer's bytes) beside the others.");
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Should_decode_every_frozen_sample_to_the_value_it_was_written_from(string manifest)
    {
        var decoded = Serializer.FromBinary(File.ReadAllBytes(SamplePath(manifest)), manifest);

        Assert.Equal(Canonical(Expected[manifest]), Canonical(decoded));
    }

    [Fact]
    public void Should_replay_the_frozen_history_to_the_frozen_snapshot()
    {
        var history = File.ReadAllLines(Path.Combine(Folder, "history.v1.txt"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (JobEvent)Serializer.FromBinary(Encoding.UTF8.GetBytes(parts[1]), parts[0]))
            .ToList();
        var snapshot = (JobState)Serializer.FromBinary(File.ReadAllBytes(SamplePath("job-state.v1")), "job-state.v1");

        var replayed = history.Aggregate(JobState.Empty(snapshot.Id), (state, e) => state.Apply(e));

        Assert.Equal(CoreJson.Serialize(snapshot), CoreJson.Serialize(AsStoredByV1(replayed)));
        Assert.Equal((snapshot.Status, snapshot.NextWakeAt, snapshot.Version), (replayed.Status, replayed.NextWakeAt, replayed.Version));
    }

    /// <summary>
    /// A state as a job-state.v1 snapshot holds it: without what the state learned to keep since, which such a snapshot
    /// reads as its default (the fireAll backlog's remaining count, added with "counted once": 0 means "count it"; the time of the last change,
    /// added with retention: null until the next event; the last run's result, added with "last result": null until the
    /// next run ends; the describe counts of skipped occurrences: 0, counting from the snapshot on).
    /// </summary>
    private static JobState AsStoredByV1(JobState state) => state with
    {
        Backlog = state.Backlog is { } backlog ? backlog with { Remaining = 0 } : null, ChangedAt = null, LastResult = null,
        MissedByCatchUpWindow = 0, SkippedByOverlap = 0,
    };

    private JobJournalSerializer Serializer => new((Akka.Actor.ExtendedActorSystem)Sys);

    private static string SamplePath(string manifest) => Path.Combine(Folder, manifest + ".json");

    /// <summary>A value as today's code writes it: two values are the same to the journal when this is.</summary>
    private static string Canonical(object value) => CoreJson.Serialize<object>(value);
}
