using ActorScheduler.Cli.Help;
using ActorScheduler.Cli.Interactive;
using ActorScheduler.Cli.Parsing;

namespace ActorScheduler.Cli.Tests;

/// <summary>A palette that is its one command, named as itself: <c>schedctl deploy DIR</c>, without a command word.</summary>
public sealed class DirectPaletteSpecs
{
    private readonly PaletteCommandLine _commandLine = new([.. TestPalettes.All, TestPalettes.Deploy]);

    [Fact]
    public void Should_run_the_palettes_one_command_with_its_argument_when_no_command_word_is_given()
    {
        var invocation = Assert.IsType<Invocation>(_commandLine.Parse(["deploy", "./scripts", "--json"]), exactMatch: true);

        Assert.Equal(("deploy", "deploy"), (invocation.Palette.Name, invocation.Command.Name));
        Assert.Equal(new Dictionary<string, string> { ["directory"] = "./scripts" }, invocation.Arguments);
        Assert.True(invocation.Json);
    }

    [Fact]
    public void Should_show_the_commands_help_without_a_command_word_when_help_is_asked()
    {
        var help = Assert.IsType<HelpRequested>(_commandLine.Parse(["help", "deploy"]), exactMatch: true);
        var output = new StringWriter();

        HelpWriter.Write(output, 100, help, null, Launch.HostAddress.Default);

        Assert.Equal("deploy", help.Command?.Name);
        Assert.Contains("usage: schedctl [host:port] deploy <directory>", output.ToString());
    }

    [Fact]
    public void Should_offer_the_commands_options_not_its_name_when_completing_after_the_palette()
    {
        var completion = new Completer([.. TestPalettes.All, TestPalettes.Deploy]).Complete("deploy -");

        Assert.Equal(["--json", "--help"], completion.Candidates);
    }

    [Fact]
    public void Should_name_the_command_without_repeating_it_when_pointing_to_its_help()
    {
        var problem = Assert.IsType<UsageProblem>(_commandLine.Parse(["deploy"]), exactMatch: true);

        Assert.Contains("(schedctl deploy --help)", problem.Message);
    }
}
