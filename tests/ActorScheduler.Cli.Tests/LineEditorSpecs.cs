using ActorScheduler.Cli.Interactive;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Tests;

public sealed class LineEditorSpecs
{
    private const string Prompt = "[127.0.0.1:9110] schedctl> ";

    private readonly ScriptedKeyboard _keys = new();
    private readonly StringWriter _screen = new();
    private readonly Completer _completer = new(TestPalettes.All);
    private readonly LineEditor _editor;

    public LineEditorSpecs() => _editor = new LineEditor(_keys, _screen, Prompt);

    private string? ReadLine(Completer? completer = null) => _editor.ReadLine(completer ?? _completer);

    [Fact]
    public void Should_return_the_line_as_edited_when_enter_is_pressed()
    {
        _keys.Type("obs lisst").Press(ConsoleKey.Backspace).Press(ConsoleKey.Home).Type("j")
            .Press(ConsoleKey.End).Press(ConsoleKey.LeftArrow).Press(ConsoleKey.Delete).Type("t --json").Press(ConsoleKey.Enter);

        Assert.Equal("jobs list --json", ReadLine());
        Assert.StartsWith("\r" + Prompt, _screen.ToString());
        Assert.Equal(1, _keys.LinesFinished);
    }

    [Fact]
    public void Should_complete_in_place_and_add_a_space_when_one_candidate_fits()
    {
        _keys.Type("jo\tli\t--st\tpa\t").Press(ConsoleKey.Enter);

        Assert.Equal("jobs list --status paused ", ReadLine());
    }

    [Fact]
    public void Should_list_the_candidates_and_draw_the_prompt_again_when_several_fit()
    {
        _keys.Type("jobs l\t").Press(ConsoleKey.Enter);

        Assert.Equal("jobs l", ReadLine());
        var screen = _screen.ToString();
        var listed = screen.IndexOf("\nlist   level\n", StringComparison.Ordinal);
        Assert.True(listed > 0, $"the candidates are listed below the line:\n{screen}");
        Assert.Contains("\r" + Prompt + "jobs l", screen[listed..]);
    }

    [Fact]
    public void Should_extend_to_the_shared_prefix_when_several_candidates_share_one()
    {
        var palette = new PaletteSpec("node", "", [new CommandSpec("restart-all", "", []), new CommandSpec("restart-one", "", [])]);
        _keys.Type("node re\t").Press(ConsoleKey.Enter);

        Assert.Equal("node restart-", ReadLine(new Completer([palette])));
    }

    [Fact]
    public void Should_recall_earlier_lines_and_the_draft_when_up_and_down_are_pressed()
    {
        _keys.Type("jobs list\n").Type("cluster show\n")
            .Type("draft").Press(ConsoleKey.UpArrow).Press(ConsoleKey.UpArrow).Press(ConsoleKey.UpArrow).Press(ConsoleKey.Enter)
            .Type("again").Press(ConsoleKey.UpArrow).Press(ConsoleKey.DownArrow).Press(ConsoleKey.Enter);

        ReadLine();
        ReadLine();

        Assert.Equal("jobs list", ReadLine());
        Assert.Equal("again", ReadLine());
    }

    [Fact]
    public void Should_abandon_the_line_when_ctrl_c_is_pressed()
    {
        _keys.Type("jobs li").Press(ConsoleKey.C, control: true);

        Assert.Equal("", ReadLine());
        Assert.EndsWith("^C" + Environment.NewLine, _screen.ToString());
    }

    [Fact]
    public void Should_end_the_input_when_ctrl_d_is_pressed_on_an_empty_line()
    {
        _keys.Type("x").Press(ConsoleKey.D, control: true).Press(ConsoleKey.Backspace).Press(ConsoleKey.D, control: true);

        Assert.Null(ReadLine());
    }

    [Fact]
    public void Should_scroll_sideways_when_the_line_is_wider_than_the_terminal()
    {
        var keys = new ScriptedKeyboard { Width = 40 };
        var screen = new StringWriter();
        keys.Type(new string('a', 30) + new string('b', 30)).Press(ConsoleKey.Enter);

        var line = new LineEditor(keys, screen, Prompt).ReadLine(_completer);

        Assert.Equal(new string('a', 30) + new string('b', 30), line);
        var lastDraw = screen.ToString().TrimEnd('\n').Split('\r').Last(d => d.StartsWith(Prompt));
        Assert.True(lastDraw.Length - "\e[K".Length <= 40, $"the drawn line fits 40 columns: '{lastDraw}'");
        Assert.EndsWith("bbbb\e[K", lastDraw);
    }
}
