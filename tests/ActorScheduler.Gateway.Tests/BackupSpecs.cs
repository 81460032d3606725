using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Engine.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Hot backups (<c>GET /api/v1/export</c>) and the export and import of job definitions (<c>/api/v1/jobs/export</c>,
/// <c>/api/v1/jobs/import</c>), on the fixture's engine through a gateway whose host registered the database, as the
/// node does.
/// </summary>
public sealed class BackupSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private DatabaseExports _exports = null!;
    private GatewayServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        var settings = gateway.Engine.Settings;
        _exports = new DatabaseExports(settings.Database, settings.DataDirectory, gateway.Engine.System.Log);
        _server = await GatewayServer.StartAsync(gateway.Engine.Jobs, settings.Gateway with { Host = "127.0.0.1", Port = 0, Token = null },
            web => web.Services.AddSingleton(_exports));
        _api = new Api(new HttpClient { BaseAddress = _server.Url });
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Should_stream_a_sqlite_file_with_every_jobs_journal_when_exporting_while_jobs_fire()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Api.NewId("firing")).ToList();
        foreach (var id in ids)
            await _api.CreateJob(id, """ "schedule": { "every": { "seconds": 1 } } """);
        foreach (var id in ids)
            await Api.Eventually(() => _api.GetJob(id), view => view.RunCount >= 2, $"two runs of {id}");
        var before = new Dictionary<string, long>();
        foreach (var id in ids)
            before[id] = (await _api.GetJob(id)).Version;

        var response = await _api.Get("/api/v1/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BackupFile.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(new Regex(@"^actorscheduler-\d{8}T\d{6}Z\.db$"), response.Content.Headers.ContentDisposition?.FileName);
        var file = await Save(response);
        var summary = BackupFile.Check(file);
        Assert.True(summary.Jobs >= ids.Count, $"the backup holds {summary}");
        using (var backup = BackupFile.OpenReadOnly(file))
            foreach (var id in ids)
            {
                var (rows, highest) = JournalOf(backup, id);
                Assert.True(highest >= before[id], $"{id}: the backup holds events up to {highest}, the job was at {before[id]} before the export");
                Assert.Equal(highest, rows); // the whole history, from sequence number 1, no gaps
            }
        File.Delete(file);
        foreach (var id in ids)
            await Api.Eventually(() => _api.GetJob(id), view => view.Version > before[id] + 4, $"{id} firing on after the export");
        await Api.Eventually(() => Task.FromResult(Directory.GetFiles(gateway.Engine.Settings.DataDirectory, "export-*")), files => files.Length == 0,
            "the export's temporary file deleted once sent");
    }

    [Fact]
    public async Task Should_refuse_a_second_export_with_429_while_one_is_running()
    {
        using (var running = _exports.TryBegin())
        {
            Assert.NotNull(running);

            var refused = await _api.Get("/api/v1/export");

            await Api.ExpectProblem(refused, HttpStatusCode.TooManyRequests, "one runs at a time");
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.OK, (await _api.Post("/api/v1/backup")).StatusCode);
    }

    [Fact]
    public async Task Should_answer_501_when_the_gateways_host_gave_it_no_database()
    {
        var response = await gateway.Api.Get("/api/v1/export");

        await Api.ExpectProblem(response, HttpStatusCode.NotImplemented, "without a database");
    }

    [Fact]
    public async Task Should_bring_back_the_same_definitions_when_importing_an_export_under_new_ids()
    {
        var (tag, ids) = await CreateBoard("copy");
        var exported = JsonNode.Parse(await Body(await _api.Get($"/api/v1/jobs/export?tag={tag}")))!;
        Assert.Equal(ids, exported["jobs"]!.AsArray().Select(job => job!["id"]!.GetValue<string>()).ToList()); // ordered by id
        // The copies keep their trigger between each other.
        var copy = exported.ToJsonString().Replace("\"" + tag, "\"copy-" + tag);

        var imported = await Expect<ImportResult>(await _api.Post("/api/v1/jobs/import", copy), HttpStatusCode.OK);

        Assert.Equal(ids.Select(id => "copy-" + id).ToList(), imported.Created.Order().ToList());
        foreach (var id in ids)
        {
            var original = CoreJson.Serialize((await _api.GetJob(id)).Definition with { Id = null });
            var copied = (await _api.GetJob("copy-" + id)).Definition;
            Assert.Equal(original.Replace("\"" + tag, "\"copy-" + tag), CoreJson.Serialize(copied with { Id = null }));
        }
        var again = await Expect<ImportResult>(await _api.Post("/api/v1/jobs/import", copy), HttpStatusCode.OK);
        Assert.Equal(ids.Count, again.Unchanged.Count); // an import repeated changes nothing
    }

    [Fact]
    public async Task Should_bring_back_the_same_definitions_in_another_engine_when_importing_its_yaml_export()
    {
        var (tag, ids) = await CreateBoard("moved");
        var yaml = await Body(await _api.Send(HttpMethod.Get, $"/api/v1/jobs/export?tag={tag}&board=moving", null, ("Accept", "application/yaml")));
        Assert.StartsWith("board: moving", yaml);
        // A second engine with its gateway, on a data directory of its own: "another cluster".
        var other = new GatewayFixture();
        await other.InitializeAsync();
        try
        {
            var imported = await Expect<ImportResult>(await other.Api.Client.PostAsync("/api/v1/jobs/import",
                new StringContent(yaml, Encoding.UTF8, "application/yaml")), HttpStatusCode.OK);

            Assert.Equal(ids, imported.Created.Order().ToList());
            // The job list (and so the export) follows the journal by milliseconds.
            var there = await Api.Eventually(async () => await Body(await other.Api.Get($"/api/v1/jobs/export?tag={tag}&board=moving")),
                body => JsonNode.Parse(body)!["jobs"]!.AsArray().Count == ids.Count, "the imported jobs in the other engine's list");
            var here = await Body(await _api.Get($"/api/v1/jobs/export?tag={tag}&board=moving"));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(here), JsonNode.Parse(there)), $"here: {here}\nthere: {there}");
            var unchanged = await Expect<ImportResult>(await _api.Client.PostAsync("/api/v1/jobs/import",
                new StringContent(yaml, Encoding.UTF8, "application/yaml")), HttpStatusCode.OK);
            Assert.Equal(ids, unchanged.Unchanged.Order().ToList()); // the YAML reads back to exactly what was stored
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_answer_400_naming_the_job_and_field_and_apply_nothing_when_one_definition_is_invalid()
    {
        var (good, bad) = (Api.NewId("valid"), Api.NewId("invalid"));
        var document = $$"""
            { "board": "broken", "defaults": { "run": { "handler": { "name": "noop" } } },
              "jobs": [ { "id": "{{good}}" }, { "id": "{{bad}}", "schedule": { "cron": "not a cron" } } ] }
            """;

        var response = await _api.Post("/api/v1/jobs/import", document);

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "jobs[1].schedule.cron");
        foreach (var id in new[] { good, bad })
            Assert.Equal(HttpStatusCode.NotFound, (await _api.Get($"/api/v1/jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task Should_read_an_import_larger_than_the_other_bodies_may_be()
    {
        var padding = new string(' ', (int)GatewayServer.MaxRequestBodyBytes * 2); // whitespace between JSON tokens
        var document = $$"""{ "jobs": [ { "id": "{{Api.NewId("large")}}", "run": { "handler": { "name": "noop" } }, "schedule": {{padding}} { "cron": "x" } } ] }""";

        var response = await _api.Post("/api/v1/jobs/import", document);

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "jobs[0].schedule.cron"); // read whole, not refused as too large
    }

    [Fact]
    public async Task Should_answer_400_and_apply_nothing_when_the_documents_jobs_would_trigger_each_other()
    {
        var (a, b) = (Api.NewId("ping"), Api.NewId("pong"));
        var document = $$"""
            { "defaults": { "run": { "handler": { "name": "noop" } } },
              "jobs": [ { "id": "{{a}}", "triggers": [ { "job": "{{b}}", "on": "succeeded" } ] },
                        { "id": "{{b}}", "triggers": [ { "job": "{{a}}", "on": "succeeded" } ] } ] }
            """;

        var response = await _api.Post("/api/v1/jobs/import", document);

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "jobs[0].triggers[0].job");
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Get($"/api/v1/jobs/{a}")).StatusCode);
    }

    /// <summary>Three jobs under one new tag: a cron job, one that follows it, one with data YAML must keep as strings.</summary>
    private async Task<(string Tag, List<string> Ids)> CreateBoard(string prefix)
    {
        var tag = Api.NewId(prefix);
        var (nightly, follower, quoted) = ($"{tag}-nightly", $"{tag}-follower", $"{tag}-quoted");
        await _api.CreateJob(nightly, $$""" "schedule": { "cron": "0 30 2 * * *", "timeZone": "Europe/Amsterdam" }, "tags": ["{{tag}}"], "retry": { "maxAttempts": 3, "delay": "PT1S" } """);
        await _api.CreateJob(follower, $$""" "triggers": [ { "job": "{{nightly}}", "on": "succeeded" } ], "tags": ["{{tag}}"] """);
        await _api.CreateJob(quoted, $$""" "tags": ["{{tag}}"], "data": { "zip": "007", "flag": "true", "empty": "", "none": null, "lines": "one\ntwo", "n": 1.5, "option": "--force" } """);
        var ids = new List<string> { follower, nightly, quoted }.Order().ToList();
        // The job list (and so the export) follows the journal by milliseconds.
        await Api.Eventually(async () => JsonNode.Parse(await Body(await _api.Get($"/api/v1/jobs/export?tag={tag}")))!["jobs"]!.AsArray().Count,
            count => count == ids.Count, "the new jobs in the job list");
        return (tag, ids);
    }

    private static (long Rows, long Highest) JournalOf(SqliteConnection backup, string id)
    {
        using var command = backup.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(MAX(sequence_number), 0) FROM journal WHERE persistence_id = @id";
        command.Parameters.AddWithValue("@id", JobPersistenceId.Prefix + id);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<string> Save(HttpResponseMessage response)
    {
        var file = Path.Combine(Path.GetTempPath(), $"as-backup-{Guid.NewGuid():N}.db");
        await using (var target = File.Create(file))
            await response.Content.CopyToAsync(target);
        return file;
    }

    private static async Task<string> Body(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private static Task<T> Expect<T>(HttpResponseMessage response, HttpStatusCode status) => Api.Expect<T>(response, status);
}
