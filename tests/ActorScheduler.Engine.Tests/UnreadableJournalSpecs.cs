using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// A job whose journal no longer decodes answers at once, naming itself, instead of failing its recovery over and
/// over while its callers wait for the ask time-out; other jobs carry on. A real engine on a SQLite file whose
/// journal row is spoiled between two starts.
/// </summary>
public sealed class UnreadableJournalSpecs
{
    private static JobDefinition Hourly(string id) => CoreJson.Deserialize<JobDefinition>($$"""
        { "id": "{{id}}", "schedule": { "every": { "hours": 1 } }, "run": { "handler": { "name": "noop" } } }
        """);

    // Long enough never to expire on a loaded machine; a broken job that did not answer would make the ask throw.
    private const string AskTimeout = "actor-scheduler.gateway.ask-timeout = 20s";

    [Theory]
    [InlineData("UPDATE journal SET message = CAST('{{ not json' AS BLOB) WHERE persistence_id = 'job-broken' AND sequence_number = 1", "JsonException")]
    [InlineData("UPDATE journal SET manifest = 'job-exploded.v9' WHERE persistence_id = 'job-broken' AND sequence_number = 1", "job-exploded.v9")]
    public async Task Should_refuse_every_request_at_once_naming_the_job_when_its_journal_does_not_decode(string spoil, string reason)
    {
        var directory = Path.Combine(Path.GetTempPath(), "as-unreadable-" + Guid.NewGuid().ToString("N"));
        await using (var first = await EngineFixture.StartAsync(new CountingRunner(), directory, AskTimeout))
        {
            (await first.Jobs.Define(JobId.Parse("broken"), Hourly("broken"), createOnly: true)).Expect<JobAccepted>();
            (await first.Jobs.Define(JobId.Parse("healthy"), Hourly("healthy"), createOnly: true)).Expect<JobAccepted>();
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "scheduler.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = spoil;
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        await using var second = await EngineFixture.StartAsync(new CountingRunner(), directory, AskTimeout);
        var read = await second.Jobs.Get(JobId.Parse("broken"));
        var trigger = await second.Jobs.Send(JobId.Parse("broken"), new TriggerJob(RunTrigger.Manual, null, "spec"));
        var healthy = await second.Jobs.Get(JobId.Parse("healthy"));

        var refused = read.Expect<JobRefused>();
        Assert.Equal(RejectionKind.Unreadable, refused.Kind);
        Assert.Contains("'broken'", refused.Message);
        Assert.Contains(reason, refused.Message);
        Assert.Equal(RejectionKind.Unreadable, trigger.Expect<JobRefused>().Kind);
        Assert.Equal(JobStatus.Scheduled, healthy.Expect<JobFound>().View.Status);
    }
}
