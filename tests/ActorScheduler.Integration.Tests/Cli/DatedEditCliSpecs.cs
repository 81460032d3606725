using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// Dated edits and the audit trail with <c>schedctl</c> against the all-in-one node: <c>jobs replace --at</c> leaves the
/// job as it is with the edit pending, <c>jobs drop-edit</c> withdraws it, and <c>jobs history</c> names schedctl's
/// user as the author of each change (a pipe, and a terminal under tmux).
/// </summary>
public sealed class DatedEditCliSpecs() : AllInOneCliSpecsBase("cli-dated-")
{
    private async Task<string> DefinitionFile(string id, string tag)
    {
        var file = Path.Combine(Scratch, $"{id}-{tag}.json");
        await File.WriteAllTextAsync(file, $$"""{ "id": "{{id}}", "run": { "shell": { "command": ["true"] } }, "tags": ["{{tag}}"] }""");
        return file;
    }

    [Fact]
    public async Task Should_keep_a_dated_edit_pending_withdraw_it_and_name_schedctl_in_the_history()
    {
        await Ok("jobs", "create", "-f", await DefinitionFile("nightly", "v1"));

        var pending = JsonNode.Parse((await Ok("jobs", "replace", "-f", await DefinitionFile("nightly", "v2"), "--at", "2099-01-01T00:00:00Z", "--json")).Out)!;
        var dropped = JsonNode.Parse((await Ok("jobs", "drop-edit", "nightly", "--json")).Out)!;
        var history = await Ok("jobs", "history", "nightly");
        var none = await Schedctl.RunAsync([Host, "jobs", "drop-edit", "nightly"]);

        Assert.Equal("v1", pending["definition"]!["tags"]![0]!.GetValue<string>());
        Assert.Equal("v2", pending["pendingEdit"]!["definition"]!["tags"]![0]!.GetValue<string>());
        Assert.StartsWith("command-host (schedctl ", pending["pendingEdit"]!["by"]!.GetValue<string>());
        Assert.Null(dropped["pendingEdit"]);
        Assert.Matches(@"edit-scheduled\s+\S+ \S+\s+command-host \(schedctl \S+@\S+\)\s+changed: tags", history.Out);
        Assert.Matches(@"edit-dropped\s+\S+ \S+\s+command-host \(schedctl", history.Out);
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains("no pending edit", none.ToString());
    }

    [Fact]
    public async Task Should_describe_a_job_with_its_next_times_and_recent_runs()
    {
        await File.WriteAllTextAsync(Path.Combine(Scratch, "hourly.json"),
            """{ "id": "hourly", "schedule": { "cron": "0 * * * *" }, "run": { "shell": { "command": ["true"] } } }""");
        await Ok("jobs", "create", "-f", Path.Combine(Scratch, "hourly.json"));

        var described = JsonNode.Parse((await Ok("jobs", "describe", "hourly", "--json")).Out)!;

        Assert.Equal("hourly", described["job"]!["id"]!.GetValue<string>());
        Assert.Equal(10, described["nextTimes"]!.AsArray().Count);
        Assert.Equal(0, described["missedByCatchUpWindow"]!.GetValue<long>());
    }

    [Fact]
    public async Task Should_show_who_changed_the_job_in_the_history_table_in_a_terminal()
    {
        await Ok("jobs", "create", "-f", await DefinitionFile("weekly", "v1"));
        await Ok("jobs", "replace", "-f", await DefinitionFile("weekly", "v2"));
        await using var tmux = await Tmux.StartAsync($"dotnet {Schedctl.Dll} {Host}");
        await tmux.WaitForAsync($"[{Host}] schedctl>");

        await tmux.TypeAsync("jobs history weekly");
        await tmux.SendKeysAsync("Enter");
        var screen = await tmux.WaitForAsync("2 events");

        Assert.Matches(@"job-defined\s+\S+ \S+\s+command-host \(schedctl \S+\)\s+changed: tags", screen);
    }
}
