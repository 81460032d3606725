using System.Net;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>A job whose journal no longer decodes, as an HTTP client meets it: a prompt 500 naming the job, not a time-out.</summary>
public sealed class UnreadableJobSpecs
{
    [Fact]
    public async Task Should_answer_a_request_for_a_job_whose_journal_does_not_decode_with_a_server_problem_naming_it()
    {
        var data = Path.Combine(Path.GetTempPath(), "as-unreadable-" + Guid.NewGuid().ToString("N"));
        await using (var first = await NodeProcess.StartAsync(data))
        {
            foreach (var id in new[] { "broken", "healthy" })
                Assert.Equal(HttpStatusCode.Created, (await first.PostJson("/api/v1/jobs",
                    $$"""{ "id": "{{id}}", "schedule": { "every": { "hours": 1 } }, "run": { "handler": { "name": "noop" } } }""")).StatusCode);
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "scheduler.db")};Pooling=False"))
        {
            connection.Open();
            using var spoil = connection.CreateCommand();
            spoil.CommandText = "UPDATE journal SET manifest = 'job-exploded.v9' WHERE persistence_id = 'job-broken' AND sequence_number = 1";
            Assert.Equal(1, spoil.ExecuteNonQuery());
        }

        await using var second = await NodeProcess.StartAsync(data);
        var broken = await second.Http.GetAsync("/api/v1/jobs/broken");
        var trigger = await second.PostJson("/api/v1/jobs/broken/trigger", "{}");
        var healthy = await second.Http.GetAsync("/api/v1/jobs/healthy");

        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        var detail = JsonNode.Parse(await broken.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Contains("'broken'", detail);
        Assert.Contains("job-exploded.v9", detail);
        Assert.Equal(HttpStatusCode.InternalServerError, trigger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Contains("broken", second.Console);
    }
}
