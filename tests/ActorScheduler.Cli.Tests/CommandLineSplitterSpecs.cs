using ActorScheduler.Cli.Interactive;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

public sealed class CommandLineSplitterSpecs
{
    [Theory]
    [InlineData("jobs  list   --json", new[] { "jobs", "list", "--json" })]
    [InlineData("""jobs trigger n --data '{"a": 1}'""", new[] { "jobs", "trigger", "n", "--data", """{"a": 1}""" })]
    [InlineData("""jobs trigger n --data "{\"a\": \"b c\"}" """, new[] { "jobs", "trigger", "n", "--data", """{"a": "b c"}""" })]
    [InlineData("""jobs pause n --reason it\'s\ late""", new[] { "jobs", "pause", "n", "--reason", "it's late" })]
    [InlineData("jobs show ''", new[] { "jobs", "show", "" })]
    [InlineData("   ", new string[0])]
    public void Should_split_as_a_shell_would_when_the_line_has_quotes_and_escapes(string line, string[] words)
    {
        Assert.Equal(words, CommandLineSplitter.Split(line));
    }

    [Fact]
    public void Should_refuse_the_line_when_a_quote_is_left_open()
    {
        var error = Assert.Throws<UsageException>(() => CommandLineSplitter.Split("jobs trigger n --data '{"));

        Assert.Contains("unclosed single quote", error.Message);
    }

    [Fact]
    public void Should_give_the_word_being_typed_and_its_start_when_splitting_at_the_cursor()
    {
        var (before, current) = CommandLineSplitter.SplitAtCursor("jobs list --st");

        Assert.Equal(["jobs", "list"], before);
        Assert.Equal(new CommandLineSplitter.Word("--st", 10), current);
    }

    [Fact]
    public void Should_give_an_empty_word_at_the_end_when_the_text_ends_with_a_space()
    {
        var (before, current) = CommandLineSplitter.SplitAtCursor("jobs ");

        Assert.Equal(["jobs"], before);
        Assert.Equal(new CommandLineSplitter.Word("", 5), current);
    }
}
