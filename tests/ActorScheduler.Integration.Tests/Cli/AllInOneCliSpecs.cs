using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>The README's first commands: schedctl against the all-in-one node (one process, SQLite).</summary>
public sealed class AllInOneCliSpecs : IAsyncLifetime
{
    private NodeProcess _node = null!;

    public async Task InitializeAsync() => _node = await NodeProcess.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>The node's command host, once the node has logged it.</summary>
    private string Host => Schedctl.HostOf(_node);

    [Fact]
    public async Task Should_show_the_one_member_and_list_the_jobs_created_over_http()
    {
        var created = await _node.Http.PostAsync("/api/v1/jobs", new StringContent(
            """{"id":"hello","schedule":{"every":{"seconds":30}},"run":{"shell":{"command":["true"]}}}""", System.Text.Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();

        var show = await Schedctl.RunAsync(Host, "cluster", "show");
        SchedctlResult list = null!;
        for (var attempt = 0; attempt < 100 && (list is null || !list.Out.Contains("hello")); attempt++)
        {
            list = await Schedctl.RunAsync(Host, "jobs", "list");
            await Task.Delay(100);
        }
        var json = await Schedctl.RunAsync(Host, "jobs", "list", "--json");

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("Count: 1 nodes", show.Out);
        Assert.Contains("scheduler", show.Out);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("hello", list.Out);
        Assert.Equal("hello", JsonNode.Parse(json.Out.Trim())!.AsArray().Single()!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_exit_3_with_what_to_do_when_no_command_host_answers()
    {
        var result = await Schedctl.RunAsync("127.0.0.1:1", "cluster", "show");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("127.0.0.1:1", result.Error);
    }

    [Fact]
    public async Task Should_exit_2_for_a_command_the_host_does_not_have()
    {
        var result = await Schedctl.RunAsync(Host, "jobs", "explode");

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
