using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// <c>schedctl deploy DIR</c> against the all-in-one node (one process, SQLite): a directory of scripts deployed without
/// git, as a push deploys it — each executable file a job (created disabled, running the script by its hash), the board
/// file applied — from a pipe and from a terminal under tmux.
/// </summary>
public sealed class DeployCliSpecs : IAsyncLifetime
{
    private NodeProcess _node = null!;
    private readonly string _directory = Directory.CreateTempSubdirectory("cli-deploy-").FullName;

    public async Task InitializeAsync() => _node = await NodeProcess.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private string Host => Schedctl.HostOf(_node);

    /// <returns>The file's SHA-256, as the job names it.</returns>
    private async Task<string> Write(string path, string content, bool executable = true)
    {
        var full = Path.Combine(_directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content);
        if (executable && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    private static List<(string Change, string Job)> Rows(SchedctlResult result) =>
        JsonNode.Parse(result.Out.Trim())!.AsArray().Select(row => (row!["change"]!.GetValue<string>(), row["job"]!.GetValue<string>())).ToList();

    [Fact]
    public async Task Should_create_a_disabled_job_running_the_scripts_hash_then_update_it_when_the_script_changes()
    {
        await Write("board.yaml", "board: deployed\ndefaults: { tags: [deployed] }\njobs: []\n", executable: false);
        var first = await Write("jobs/extract.sh", "#!/bin/sh\n# schedule: 0 0 2 * * *\necho extract v1\n");
        await Write(".git/hooks/post-commit", "#!/bin/sh\necho a hook\n");
        await Write(".hidden.sh", "#!/bin/sh\necho hidden\n");

        var created = await Schedctl.RunAsync(Host, "deploy", _directory, "--json");
        var job = await _node.GetJson("/api/v1/jobs/extract");
        var second = await Write("jobs/extract.sh", "#!/bin/sh\n# schedule: 0 0 2 * * *\necho extract v2\n");
        var updated = await Schedctl.RunAsync(Host, "deploy", _directory);
        var after = await _node.GetJson("/api/v1/jobs/extract");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal([("created", "extract")], Rows(created));
        Assert.False(job["enabled"]!.GetValue<bool>(), "a deployed script's new job waits to be enabled");
        Assert.Equal("deployed", job["definition"]!["board"]!.GetValue<string>());
        Assert.Equal(first, job["definition"]!["run"]!["script"]!["sha256"]!.GetValue<string>());
        Assert.Equal("jobs/extract.sh", job["definition"]!["run"]!["script"]!["path"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/v1/jobs/hidden")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/v1/jobs/post-commit")).StatusCode);

        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Matches(@"updated\s+extract\s+jobs/extract\.sh\s+" + second[..12], updated.Out);
        Assert.Contains("as board 'deployed': 0 created, 1 updated, 0 unchanged", updated.Out);
        Assert.Equal(second, after["definition"]!["run"]!["script"]!["sha256"]!.GetValue<string>());
        Assert.False(after["enabled"]!.GetValue<bool>(), "a deployment keeps the job's enabled state");
    }

    [Fact]
    public async Task Should_deploy_the_rest_and_exit_1_naming_the_script_when_a_scripts_name_is_refused()
    {
        await Write("jobs/load.sh", "#!/bin/sh\necho load\n");
        await Write("jobs/bad name.sh", "#!/bin/sh\necho never\n");

        var result = await Schedctl.RunAsync(Host, "deploy", _directory, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([("created", "load"), ("refused", "jobs/bad name.sh")], Rows(result));
        Assert.Contains("refused jobs/bad name.sh: its name makes job id 'bad name'", result.Error);
        Assert.Equal(HttpStatusCode.OK, (await _node.Http.GetAsync("/api/v1/jobs/load")).StatusCode);
    }

    [Fact]
    public async Task Should_deploy_nothing_and_exit_2_naming_the_directory_and_board_file_when_the_board_file_is_invalid()
    {
        await Write("board.yaml", "board: deployed\njobs:\n  - id: broken\n    schedule: { cron: \"61 * * * *\" }\n", executable: false);
        await Write("jobs/load.sh", "#!/bin/sh\necho load\n");

        var result = await Schedctl.RunAsync(Host, "deploy", _directory);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{_directory}: Nothing was deployed", result.Error);
        Assert.Contains("board.yaml (with the scripts' jobs): jobs[0].schedule.cron", result.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/v1/jobs/load")).StatusCode);
    }

    [Fact]
    public async Task Should_show_the_deployment_as_a_table_in_a_terminal()
    {
        await Write("jobs/report.sh", "#!/bin/sh\necho report\n");
        await using var tmux = await Tmux.StartAsync($"dotnet {Schedctl.Dll} {Host}");
        await tmux.WaitForAsync($"[{Host}] schedctl>");

        await tmux.TypeAsync($"deploy {_directory}");
        await tmux.SendKeysAsync("Enter");
        var screen = await tmux.WaitForAsync("as board 'scripts': 1 created");

        Assert.Matches(@"change\s+job\s+script\s+revision\s+note", screen);
        Assert.Matches(@"created\s+report\s+jobs/report\.sh\s+[0-9a-f]{12}\s+disabled: enable it", screen);
    }
}
