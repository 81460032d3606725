using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActorScheduler.Core.Boards;
using ActorScheduler.Core.Jobs;
using static ActorScheduler.Gateway.Tests.Api;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Job boards over HTTP (<c>/api/v1/boards</c>): diff, apply and prune round trips in JSON and YAML on a real engine
/// behind a real socket. Every spec uses its own board and job ids (one engine per class).
/// </summary>
public sealed class BoardSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly Api _api = gateway.Api;

    private static string Ids(string prefix, int count, out string[] ids)
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        ids = Enumerable.Range(1, count).Select(i => $"{prefix}{i}-{unique}").ToArray();
        return unique;
    }

    private static string JsonBoard(string board, IEnumerable<string> jobs, string defaults = """{ "tags": ["from-board"], "worker": "test-worker" }""") =>
        $$"""{ "board": "{{board}}", "defaults": {{defaults}}, "jobs": [{{string.Join(", ", jobs)}}] }""";

    private static string HandlerJob(string id, string handler = "noop") => Job(id, handler: handler);

    private Task<HttpResponseMessage> Post(string path, string body, string contentType) =>
        _api.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    private async Task<BoardChanges> Changes(string board, string action, string body, bool prune = false, string contentType = "application/json") =>
        await Expect<BoardChanges>(await Post($"/api/v1/boards/{board}/{action}{(prune ? "?prune=true" : "")}", body, contentType), HttpStatusCode.OK);

    private async Task<HttpStatusCode> StatusOf(string id) => (await _api.Get($"/api/v1/jobs/{id}")).StatusCode;

    [Fact]
    public async Task Should_create_then_leave_everything_unchanged_when_the_same_json_board_is_applied_twice()
    {
        var board = "b-" + Ids("json", 3, out var ids);
        var body = JsonBoard(board, ids.Select(id => HandlerJob(id)));

        var diff = await Changes(board, "diff", body);
        var createdByDiff = await StatusOf(ids[0]);
        var applied = await Changes(board, "apply", body);
        var again = await Changes(board, "apply", body);
        var job = await _api.GetJob(ids[1]);

        Assert.Equal(ids, diff.Create);
        Assert.Equal(HttpStatusCode.NotFound, createdByDiff);
        Assert.Equal(ids, applied.Create);
        Assert.Empty(applied.Update.Concat(applied.Remove).Concat(applied.Unchanged));
        Assert.Equal(ids, again.Unchanged);
        Assert.Empty(again.Create.Concat(again.Update).Concat(again.Remove));
        Assert.Equal(board, job.Definition.Board);
        Assert.Equal(["from-board"], job.Definition.Tags!); // from defaults
        Assert.Equal("test-worker", job.Definition.Worker);
    }

    [Fact]
    public async Task Should_fill_only_what_a_job_leaves_out_from_the_defaults()
    {
        var board = "b-" + Ids("defaults", 2, out var ids);
        var body = JsonBoard(board, [HandlerJob(ids[0]), Job(ids[1], """ "tags": ["own"], "retry": { "maxAttempts": 5 } """)],
            """{ "tags": ["shared"], "retry": { "maxAttempts": 3, "delay": "PT10S" }, "enabled": false }""");

        await Changes(board, "apply", body);
        var plain = await _api.GetJob(ids[0]);
        var own = await _api.GetJob(ids[1]);

        Assert.Equal(["shared"], plain.Definition.Tags!);
        Assert.Equal(3, plain.Definition.Retry!.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), plain.Definition.Retry.Delay);
        Assert.False(plain.Definition.Enabled);
        Assert.Equal(["own"], own.Definition.Tags!);
        Assert.Equal(5, own.Definition.Retry!.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), own.Definition.Retry.Delay); // a job's retry replaces the default's whole
        Assert.False(own.Definition.Enabled);
    }

    [Fact]
    public async Task Should_update_the_changed_job_and_prune_the_removed_one_when_a_yaml_board_changes()
    {
        var board = "b-" + Ids("yaml", 3, out var ids);
        string Yaml(string secondHandler, bool withThird) => $$"""
            board: {{board}}
            defaults: { tags: [nightly] }
            jobs:
              - id: {{ids[0]}}
                run: { handler: { name: noop } }
              - id: {{ids[1]}}
                schedule: { cron: "0 0 2 * * *", timeZone: Europe/Amsterdam }
                run: { handler: { name: {{secondHandler}} } }
            {{(withThird ? $"  - id: {ids[2]}\n    run: {{ handler: {{ name: noop }} }}" : "")}}
            """;

        var created = await Changes(board, "apply", Yaml("noop", withThird: true), contentType: "application/yaml");
        var changed = Yaml("fail", withThird: false);
        var diff = await Changes(board, "diff", changed, contentType: "application/yaml");
        var pruneDiff = await Changes(board, "diff", changed, prune: true, contentType: "application/yaml");
        var kept = await Changes(board, "apply", changed, contentType: "application/yaml");
        var stillThere = await _api.GetJob(ids[2]);
        var pruned = await Changes(board, "apply", changed, prune: true, contentType: "application/yaml");
        var removed = await _api.GetJob(ids[2]);
        var again = await Changes(board, "apply", changed, prune: true, contentType: "application/yaml");

        Assert.Equal(ids, created.Create);
        Assert.Equal([ids[1]], diff.Update);
        Assert.Equal([ids[0]], diff.Unchanged);
        Assert.Empty(diff.Remove);
        Assert.Equal([ids[2]], diff.NotInFile);
        Assert.Equal([ids[2]], pruneDiff.Remove);
        Assert.Empty(pruneDiff.NotInFile);
        Assert.Equal([ids[1]], kept.Update);
        Assert.Empty(kept.Remove);
        Assert.NotEqual(JobStatus.Canceled, stillThere.Status);
        Assert.Equal([ids[2]], pruned.Remove);
        Assert.Equal([ids[0], ids[1]], pruned.Unchanged);
        Assert.Equal(JobStatus.Canceled, removed.Status);
        Assert.Equal([ids[0], ids[1]], again.Unchanged);
        Assert.Empty(again.Remove.Concat(again.NotInFile)); // a canceled job is not removed twice
    }

    [Fact]
    public async Task Should_name_the_job_and_field_and_apply_nothing_when_one_job_is_invalid()
    {
        var board = "b-" + Ids("invalid", 2, out var ids);
        var body = JsonBoard(board, [HandlerJob(ids[0]), Job(ids[1], """ "schedule": { "cron": "61 * * * *" } """)]);

        var diff = await ExpectProblem(await Post($"/api/v1/boards/{board}/diff", body, "application/json"), HttpStatusCode.BadRequest, "jobs[1].schedule.cron");
        await ExpectProblem(await Post($"/api/v1/boards/{board}/apply", body, "application/json"), HttpStatusCode.BadRequest, "jobs[1].schedule.cron");

        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(ids[0]));
        Assert.Contains("jobs[1].schedule.cron", diff);
    }

    [Fact]
    public async Task Should_refuse_with_409_naming_the_job_when_another_board_or_no_board_owns_its_id()
    {
        var unique = Ids("owned", 3, out var ids);
        var other = "other-" + unique;
        var board = "b-" + unique;
        await Changes(other, "apply", JsonBoard(other, [HandlerJob(ids[0])]));
        await _api.CreateJob(ids[1]);
        var body = JsonBoard(board, [HandlerJob(ids[0]), HandlerJob(ids[1]), HandlerJob(ids[2])]);

        var detail = await ExpectProblem(await Post($"/api/v1/boards/{board}/apply", body, "application/json"), HttpStatusCode.Conflict, ids[0]);
        var diff = await ExpectProblem(await Post($"/api/v1/boards/{board}/diff", body, "application/json"), HttpStatusCode.Conflict, ids[1]);
        var owner = await _api.GetJob(ids[0]);

        Assert.Contains($"belongs to board '{other}'", detail);
        Assert.Contains($"'{ids[1]}' exists and belongs to no board", detail);
        Assert.Contains(ids[0], diff);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(ids[2])); // nothing applied
        Assert.Equal(other, owner.Definition.Board);
    }

    [Fact]
    public async Task Should_refuse_a_path_name_that_differs_from_the_files_board_and_fill_a_missing_one()
    {
        var board = "b-" + Ids("named", 1, out var ids);
        var unnamed = $$"""{ "jobs": [{{HandlerJob(ids[0])}}] }""";

        await ExpectProblem(await Post($"/api/v1/boards/elsewhere-{board}/apply", JsonBoard(board, [HandlerJob(ids[0])]), "application/json"),
            HttpStatusCode.BadRequest, "board");
        var filled = await Changes(board, "apply", unnamed);
        var job = await _api.GetJob(ids[0]);

        Assert.Equal(ids, filled.Create);
        Assert.Equal(board, job.Definition.Board);
    }

    [Fact]
    public async Task Should_refuse_a_job_that_names_another_board_inside_the_file()
    {
        var board = "b-" + Ids("inside", 1, out var ids);
        var body = JsonBoard(board, [Job(ids[0], """ "board": "somewhere-else" """)]);

        await ExpectProblem(await Post($"/api/v1/boards/{board}/apply", body, "application/json"), HttpStatusCode.BadRequest, "jobs[0].board");
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(ids[0]));
    }

    [Fact]
    public async Task Should_list_the_boards_with_their_job_counts_and_filter_the_job_list_by_board()
    {
        var board = "b-" + Ids("listed", 3, out var ids);
        await Changes(board, "apply", JsonBoard(board, ids.Select(id => HandlerJob(id))));
        await Changes(board, "apply", JsonBoard(board, ids.Take(2).Select(id => HandlerJob(id))), prune: true);

        var listed = await Eventually(async () => JsonNode.Parse(await (await _api.Get("/api/v1/boards")).Content.ReadAsStringAsync())!["items"]!.AsArray()
                .SingleOrDefault(item => item!["name"]!.GetValue<string>() == board),
            item => item?["byStatus"]?["canceled"]?.GetValue<long>() == 1, $"board {board} listed with its pruned job canceled");
        var jobs = JsonNode.Parse(await (await _api.Get($"/api/v1/jobs?board={board}")).Content.ReadAsStringAsync())!["items"]!.AsArray();

        Assert.Equal(2, listed!["jobs"]!.GetValue<long>());
        Assert.Equal(ids, jobs.Select(job => job!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_a_prune_value_that_is_not_true_or_false()
    {
        var board = "b-" + Ids("prune", 1, out var ids);

        await ExpectProblem(await Post($"/api/v1/boards/{board}/diff?prune=yes", JsonBoard(board, [HandlerJob(ids[0])]), "application/json"),
            HttpStatusCode.BadRequest, "prune");
    }
}

/// <summary>The board routes sit behind the API token like every <c>/api</c> route.</summary>
public sealed class BoardAuthSpecs(SecuredGatewayFixture gateway) : IClassFixture<SecuredGatewayFixture>
{
    [Fact]
    public async Task Should_answer_401_and_apply_nothing_when_the_token_is_missing()
    {
        using var anonymous = new Api(new HttpClient { BaseAddress = gateway.Server.Url });
        var id = NewId("board-auth");
        var body = $$"""{ "board": "guarded", "jobs": [{{Job(id)}}] }""";

        await ExpectProblem(await anonymous.Get("/api/v1/boards"), HttpStatusCode.Unauthorized);
        await ExpectProblem(await anonymous.Post("/api/v1/boards/guarded/apply", body), HttpStatusCode.Unauthorized);
        await ExpectProblem(await anonymous.Post("/api/v1/boards/guarded/diff", body), HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Api.Get($"/api/v1/jobs/{id}")).StatusCode);
        await Expect<BoardChanges>(await gateway.Api.Post("/api/v1/boards/guarded/apply", body), HttpStatusCode.OK);
    }
}
