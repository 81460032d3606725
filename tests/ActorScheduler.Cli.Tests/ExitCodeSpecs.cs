using System.Text.Json;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary>schedctl against a fake command host on a loopback socket: what it sends, prints and exits with.</summary>
public sealed class ExitCodeSpecs : FakeHostSpecs
{
    private Task<RunResult> Run(params string[] args) => SchedctlRun.RunAsync([Host.Address, .. args]);

    [Fact]
    public async Task Should_exit_0_and_render_the_table_when_the_command_succeeds()
    {
        var result = await Run("jobs", "list", "--status", "paused", "-n", "5");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("nightly", result.Out);
        Assert.Contains(FakeAnswers.JobsFooter, result.Out);
        Assert.Equal(new Dictionary<string, string> { ["status"] = "paused", ["limit"] = "5" }, Host.SingleRequest().Arguments);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Should_print_only_ndjson_on_stdout_when_json_is_asked_for()
    {
        var result = await Run("cluster", "show", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var line = Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var rows = JsonDocument.Parse(line);
        Assert.Equal(2, rows.RootElement.GetArrayLength());
        Assert.DoesNotContain(FakeAnswers.MembersFooter, result.Out);
    }

    [Fact]
    public async Task Should_exit_1_with_the_hosts_reason_on_stderr_when_the_command_fails()
    {
        var result = await Run("jobs", "show", "missing");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("Job 'missing' does not exist.", result.Error.Trim());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Should_exit_2_when_the_host_ends_with_usage()
    {
        var result = await Run("cluster", "down", "-a", "bad");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("'bad' is not a member address. (schedctl cluster down --help)", result.Error);
    }

    [Theory]
    [InlineData("jobs", "show")]
    [InlineData("jobs", "list", "--limit", "many")]
    [InlineData("jobs", "nosuch")]
    [InlineData("jobs", "create", "-f", "/nonexistent/job.yaml")]
    public async Task Should_exit_2_without_sending_anything_when_the_command_line_is_wrong(params string[] args)
    {
        var result = await Run(args);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.NotEqual("", result.Error);
        Assert.Empty(Host.Requests);
    }

    [Fact]
    public async Task Should_send_the_file_content_as_json_when_a_document_parameter_names_a_yaml_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"schedctl-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "id: nightly\nschedule:\n  cron: 0 2 * * *\n");
        try
        {
            var result = await Run("jobs", "create", "--file", file);

            Assert.Equal(ExitCodes.Ok, result.ExitCode);
            Assert.Equal("""{"id":"nightly","schedule":{"cron":"0 2 * * *"}}""", Host.SingleRequest().Arguments["file"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Should_name_the_file_when_the_host_refuses_what_a_document_parameter_sent()
    {
        var file = Path.Combine(Path.GetTempPath(), $"schedctl-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "id: refuse-me\n");
        try
        {
            var result = await Run("jobs", "create", "-f", file);

            Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
            Assert.StartsWith($"{file}: jobs[1].schedule.cron: '61' is not a minute.", result.Error.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Should_exit_3_and_say_where_to_configure_the_host_when_nothing_listens()
    {
        var port = Ports.Unused();

        var result = await SchedctlRun.RunAsync([$"127.0.0.1:{port}", "jobs", "list"]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains($"Cannot reach a command host at 127.0.0.1:{port} (connection refused). Is the node running?", result.Error);
        Assert.Contains("actor-scheduler.cmd", result.Error);
    }

    [Fact]
    public async Task Should_still_print_the_usage_and_say_the_host_is_unreachable_when_help_is_asked_for_without_a_host()
    {
        var result = await SchedctlRun.RunAsync([$"127.0.0.1:{Ports.Unused()}", "--help"]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith("usage: schedctl [host:port] <palette> <command>", result.Out);
        Assert.Contains("Cannot reach a command host", result.Error);
    }

    [Fact]
    public async Task Should_print_the_version_without_connecting_when_version_is_asked_for()
    {
        var result = await SchedctlRun.RunAsync([$"127.0.0.1:{Ports.Unused()}", "--version"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal($"schedctl {ToolVersion.Text}", result.Out.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", ToolVersion.Text);
    }
}
