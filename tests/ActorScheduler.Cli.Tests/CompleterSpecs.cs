using ActorScheduler.Cli.Interactive;

namespace ActorScheduler.Cli.Tests;

public sealed class CompleterSpecs
{
    private readonly Completer _completer = new(TestPalettes.All);

    private IReadOnlyList<string> Candidates(string text) => _completer.Complete(text).Candidates;

    [Fact]
    public void Should_offer_the_palettes_and_the_built_ins_when_nothing_is_typed()
    {
        Assert.Equal(["cluster", "jobs", "help", "exit", "quit"], Candidates(""));
    }

    [Fact]
    public void Should_offer_what_starts_with_the_typed_word_and_where_it_starts_when_a_word_is_begun()
    {
        var completion = _completer.Complete("jo");

        Assert.Equal(["jobs"], completion.Candidates);
        Assert.Equal(0, completion.ReplaceFrom);
        Assert.Equal("jo", completion.Word);
    }

    [Fact]
    public void Should_offer_the_commands_of_the_palette_when_the_palette_is_typed()
    {
        Assert.Equal(["show", "leader", "down", "unreachable", "leave"], Candidates("cluster "));
        Assert.Equal(["runs"], Candidates("jobs r"));
    }

    [Fact]
    public void Should_offer_the_options_not_yet_used_when_a_dash_is_typed()
    {
        Assert.Equal(["--worker", "--limit", "--all", "--json", "--help"], Candidates("jobs list --status paused -"));
        Assert.Equal(["--limit"], Candidates("jobs list --l"));
    }

    [Fact]
    public void Should_count_an_alias_as_using_its_option_when_offering_options()
    {
        Assert.DoesNotContain("--limit", Candidates("jobs list -n 5 --"));
    }

    [Fact]
    public void Should_offer_the_choices_when_the_word_is_the_value_of_an_option_with_choices()
    {
        Assert.Equal(["scheduled", "paused", "canceled"], Candidates("jobs list --status "));
        Assert.Equal(["paused"], Candidates("jobs list --status p"));
        Assert.Empty(Candidates("jobs list --worker "));
    }

    [Fact]
    public void Should_offer_the_choices_when_the_word_is_a_positional_argument_with_choices()
    {
        Assert.Equal(["warning"], Candidates("jobs level w"));
    }

    [Fact]
    public void Should_offer_nothing_when_a_free_text_argument_is_expected()
    {
        Assert.Empty(Candidates("jobs show "));
    }

    [Fact]
    public void Should_offer_options_once_the_arguments_are_given()
    {
        Assert.Equal(["--data", "--json", "--help"], Candidates("jobs trigger nightly "));
    }

    [Fact]
    public void Should_offer_palettes_then_commands_when_completing_help()
    {
        Assert.Equal(["jobs"], Candidates("help j"));
        Assert.Equal(["list", "level"], Candidates("help jobs l"));
    }

    [Fact]
    public void Should_offer_nothing_when_the_palette_or_command_is_unknown()
    {
        Assert.Empty(Candidates("nosuch "));
        Assert.Empty(Candidates("jobs nosuch --"));
    }
}
