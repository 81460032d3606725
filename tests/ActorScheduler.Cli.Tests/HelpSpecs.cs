using System.Text.RegularExpressions;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary>Help comes from the palettes the host advertises, and fits an 80-column terminal.</summary>
public sealed class HelpSpecs : FakeHostSpecs
{
    private async Task<string> Help(params string[] args)
    {
        var result = await SchedctlRun.RunAsync([Host.Address, .. args]);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.All(result.Out.Split('\n'), line => Assert.True(line.Length <= 80, $"'{line}' is wider than 80 columns"));
        return result.Out;
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    [InlineData("-h")]
    public async Task Should_list_the_hosts_palettes_under_the_usage_when_help_is_asked_for(string word)
    {
        var help = await Help(word);

        Assert.StartsWith("usage: schedctl [host:port] <palette> <command>", help);
        Assert.Contains(FakeCommandHost.Node.Address, help);
        Assert.Contains(TestPalettes.Jobs.Description, help);
        Assert.Contains(TestPalettes.Cluster.Description, help);
    }

    [Fact]
    public async Task Should_list_the_commands_and_mark_streaming_ones_when_help_is_asked_for_a_palette()
    {
        var help = await Help("jobs", "--help");

        Assert.StartsWith("usage: schedctl [host:port] jobs <command>", help);
        Assert.Contains("Lists a job's runs.", help);
        Assert.Contains("Follows a job's runs. (runs until Ctrl-C)", help);
        Assert.DoesNotContain(TestPalettes.Cluster.Description, help);
    }

    [Fact]
    public async Task Should_show_the_synopsis_aliases_choices_and_defaults_when_help_is_asked_for_a_command()
    {
        var help = await Help("help", "jobs", "list");

        Assert.StartsWith("usage: schedctl [host:port] jobs list [--status <scheduled|paused|canceled>]\n         [--worker <string>] [--limit <int>] [--all]\n", help);
        Assert.Contains("-n, --limit <int>", help);
        Assert.Contains("(default: 100)", help);
        Assert.Contains("(one of: scheduled, paused, canceled)", Regex.Replace(help, @"\s+", " "));
        Assert.Contains("--json", help);
    }

    [Fact]
    public async Task Should_show_help_instead_of_complaining_when_help_comes_with_a_missing_argument()
    {
        var help = await Help("cluster", "down", "--help");

        Assert.Contains("usage: schedctl [host:port] cluster down --address <address>", help);
        Assert.Contains("-a, --address <address>", help);
        Assert.Contains("(required)", help);
    }
}
