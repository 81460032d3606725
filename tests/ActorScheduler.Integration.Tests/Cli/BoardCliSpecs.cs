using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// <c>schedctl board</c> against the all-in-one node (one process, SQLite): diff, apply, prune and list from a YAML
/// board file, as an operator runs them (a pipe, and a terminal under tmux).
/// </summary>
public sealed class BoardCliSpecs() : AllInOneCliSpecsBase("cli-board-")
{
    private async Task<string> BoardFile(string name, params string[] jobs)
    {
        var file = Path.Combine(Scratch, $"{name}.yaml");
        await File.WriteAllTextAsync(file, $$"""
            board: nightly
            defaults: { retry: { maxAttempts: 3, delay: PT10S }, tags: [nightly] }
            jobs:
            {{string.Join("\n", jobs.Select(job => $"  - id: {job}\n    run: {{ shell: {{ command: [\"true\"] }} }}"))}}
            """);
        return file;
    }

    private static List<(string Change, string Id)> Rows(SchedctlResult result) =>
        JsonNode.Parse(result.Out.Trim())!.AsArray().Select(row => (row!["change"]!.GetValue<string>(), row["id"]!.GetValue<string>())).ToList();

    [Fact]
    public async Task Should_diff_apply_and_prune_a_yaml_board_and_change_nothing_when_applied_again()
    {
        var first = await BoardFile("first", "extract", "load", "report");
        var second = await BoardFile("second", "extract", "load");

        var diff = Rows(await Ok("board", "diff", "-f", first, "--json"));
        var beforeApply = await Node.Http.GetAsync("/api/v1/jobs/extract");
        var applied = Rows(await Ok("board", "apply", "-f", first, "--json"));
        var again = await Ok("board", "apply", "-f", first);
        var kept = await Ok("board", "diff", "-f", second);
        var pruned = Rows(await Ok("board", "apply", "-f", second, "--prune", "--json"));
        var report = JsonNode.Parse(await Node.Http.GetStringAsync("/api/v1/jobs/report"))!;
        var extract = JsonNode.Parse(await Node.Http.GetStringAsync("/api/v1/jobs/extract"))!;

        Assert.Equal([("create", "extract"), ("create", "load"), ("create", "report")], diff);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, beforeApply.StatusCode);
        Assert.Equal([("create", "extract"), ("create", "load"), ("create", "report")], applied);
        Assert.Contains("board nightly: 0 created, 0 updated, 0 removed, 3 unchanged", again.Out);
        Assert.Contains("not in file", kept.Out);
        Assert.Contains("--prune removes them", kept.Out);
        Assert.Equal([("remove", "report"), ("unchanged", "extract"), ("unchanged", "load")], pruned);
        Assert.Equal("canceled", report["status"]!.GetValue<string>());
        Assert.Equal("nightly", extract["definition"]!["board"]!.GetValue<string>());
        Assert.Equal(3, extract["definition"]!["retry"]!["maxAttempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Should_name_the_file_job_and_field_exit_2_and_apply_nothing_when_the_board_is_invalid()
    {
        var file = Path.Combine(Scratch, "broken.yaml");
        await File.WriteAllTextAsync(file, """
            board: nightly
            jobs:
              - id: fine
                run: { shell: { command: ["true"] } }
              - id: broken
                schedule: { cron: "61 * * * *" }
                run: { shell: { command: ["true"] } }
            """);

        var refused = await Schedctl.RunAsync(Host, "board", "apply", "-f", file);
        var fine = await Node.Http.GetAsync("/api/v1/jobs/fine");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains(file, refused.Error);
        Assert.Contains("jobs[1].schedule.cron", refused.Error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, fine.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_with_exit_1_a_board_that_names_a_job_it_does_not_own()
    {
        var created = await Node.Http.PostAsync("/api/v1/jobs", new StringContent(
            """{"id":"loose","run":{"shell":{"command":["true"]}}}""", System.Text.Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        var file = await BoardFile("taking", "loose", "newcomer");

        var refused = await Schedctl.RunAsync(Host, "board", "apply", "-f", file);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("'loose' exists and belongs to no board", refused.Error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Node.Http.GetAsync("/api/v1/jobs/newcomer")).StatusCode);
    }

    [Fact]
    public async Task Should_show_the_changes_and_the_boards_as_tables_in_a_terminal()
    {
        var file = await BoardFile("terminal", "extract", "load");
        await using var tmux = await Tmux.StartAsync($"dotnet {Schedctl.Dll} {Host}");
        await tmux.WaitForAsync($"[{Host}] schedctl>");

        await tmux.TypeAsync($"board apply -f {file}");
        await tmux.SendKeysAsync("Enter");
        var applied = await tmux.WaitForAsync("board nightly: 2 created");
        await tmux.TypeAsync("board list");
        await tmux.SendKeysAsync("Enter");
        var listed = await tmux.WaitForAsync("1 boards");

        Assert.Matches(@"create\s+extract", applied);
        Assert.Matches(@"create\s+load", applied);
        Assert.Matches(@"nightly\s+2\s+waiting 2", listed);
    }
}
