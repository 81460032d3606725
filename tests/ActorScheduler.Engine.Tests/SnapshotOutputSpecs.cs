using System.Text;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Serialization;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// Snapshots no longer hold run outputs (the runs read model does), under the same manifest: one written before,
/// with outputs, reads as before minus them, and one written now carries none.
/// </summary>
public sealed class SnapshotOutputSpecs
{
    private static readonly byte[] FrozenWithOutput =
        File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "tests", "ActorScheduler.Engine.Tests", "Golden", "job-state.v1.json"));

    [Fact]
    public void Should_read_a_snapshot_written_with_run_outputs_and_drop_them()
    {
        Assert.Contains("\"output\":\"ok\"", Encoding.UTF8.GetString(FrozenWithOutput).Replace(" ", ""));

        var state = Assert.IsType<JobState>(JobJournalSerializer.Decode(FrozenWithOutput, "job-state.v1"));

        var run = Assert.Single(state.Recent);
        Assert.Equal(("nightly-billing~8", RunStatus.Succeeded, 0), (run.RunId.ToString(), run.Status, run.ExitCode));
        Assert.Null(RunView.From(state.Id, run).Output);
    }

    [Fact]
    public void Should_write_a_snapshot_without_outputs_under_the_manifest_it_had()
    {
        var state = (JobState)JobJournalSerializer.Decode(FrozenWithOutput, "job-state.v1");

        var serializer = new JobJournalSerializer(null!); // its system is not needed to write JSON
        var written = serializer.ToBinary(state);

        Assert.Equal("job-state.v1", serializer.Manifest(state));
        Assert.DoesNotContain("\"output\"", Encoding.UTF8.GetString(written));
        Assert.Equal(Core.Definitions.CoreJson.Serialize(state), Core.Definitions.CoreJson.Serialize(JobJournalSerializer.Decode(written, "job-state.v1")));
    }
}
