using System.Text.Json;
using ActorScheduler.Cli.Rendering;
using ActorScheduler.Commands;
using Spectre.Console.Testing;

namespace ActorScheduler.Cli.Tests;

public sealed class RenderingSpecs
{
    private readonly TestConsole _console = new TestConsole().Width(80);

    private static Output Frame(string view, string json, IReadOnlyList<string>? columns = null, string? footer = null) =>
        new(1, view, JsonDocument.Parse(json).RootElement.Clone(), columns, footer);

    private Task<string[]> Render(bool live, params Output[] outputs) => Render(terminal: live, live, outputs);

    private async Task<string[]> Render(bool terminal, bool live, params Output[] outputs)
    {
        var renderer = new ConsoleRenderer(_console, terminal, live);
        foreach (var output in outputs)
            await renderer.RenderAsync(output);
        await renderer.CompleteAsync();
        return _console.Output.Split('\n').Select(l => l.TrimEnd()).ToArray();
    }

    [Fact]
    public async Task Should_draw_a_table_with_the_named_columns_then_the_footer_when_the_view_is_table()
    {
        var lines = await Render(false, Frame(OutputViews.Table,
            """[{"id":"nightly","status":"scheduled","extra":1},{"id":"[odd]","status":null}]""", ["id", "status"], "Count: 2 jobs"));

        Assert.Contains(lines, l => l.Contains("id") && l.Contains("status") && !l.Contains("extra"));
        Assert.Contains(lines, l => l.Contains("nightly") && l.Contains("scheduled"));
        Assert.Contains(lines, l => l.Contains("[odd]"));
        Assert.Equal("Count: 2 jobs", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public async Task Should_fit_a_wide_table_into_80_columns_when_the_output_is_an_80_column_terminal()
    {
        var longText = string.Join(' ', Enumerable.Repeat("description", 20));

        var lines = await Render(terminal: true, live: false, Frame(OutputViews.Table, $$"""[{"id":"nightly","about":"{{longText}}"}]"""));

        Assert.All(lines, l => Assert.True(l.Length <= 80, $"'{l}' is {l.Length} columns"));
        Assert.Contains(lines, l => l.Contains("nightly"));
    }

    [Fact]
    public async Task Should_show_one_record_per_row_when_the_table_cannot_fit_the_terminal_without_cutting_words()
    {
        const string Run = """{"runId":"cli-progress~2","status":"succeeded","trigger":"manual","scheduled":"2026-11-30 16:07:00.778Z","started":"2026-11-30 16:07:00.779Z","finished":"2026-11-30 16:07:05.788Z","worker":"vm","exitCode":0}""";

        var lines = await Render(terminal: true, live: false, Frame(OutputViews.Table, $"[{Run},{Run.Replace("~2", "~1")}]", footer: "2 runs"));

        Assert.Equal("runId      cli-progress~2", lines[0]);
        Assert.Contains("finished   2026-11-30 16:07:05.788Z", lines);
        Assert.Equal("", lines[8]);
        Assert.Equal("runId      cli-progress~1", lines[9]);
        Assert.Equal("2 runs", lines[^2]);
    }

    [Fact]
    public async Task Should_keep_each_row_on_one_line_when_the_output_is_not_a_terminal()
    {
        var longText = string.Join(' ', Enumerable.Repeat("description", 20));

        var lines = await Render(terminal: false, live: false, Frame(OutputViews.Table, $$"""[{"id":"nightly","about":"{{longText}}"}]"""));

        Assert.Equal(["id       about", $"nightly  {longText}", ""], lines);
    }

    [Fact]
    public async Task Should_join_each_row_with_bars_then_print_the_footer_when_the_view_is_lines()
    {
        var lines = await Render(false, Frame(OutputViews.Lines,
            """[{"address":"akka.tcp://s@10.0.0.5:4053","status":"Up","roles":["a","b"]},{"address":"akka.tcp://s@10.0.0.6:4053","status":"Leaving"}]""",
            ["address", "status", "roles"], "Count: 2 members"));

        Assert.Equal(["akka.tcp://s@10.0.0.5:4053 | Up | [\"a\",\"b\"]", "akka.tcp://s@10.0.0.6:4053 | Leaving |", "Count: 2 members", ""], lines);
    }

    [Fact]
    public async Task Should_show_properties_in_two_columns_with_nested_values_as_compact_json_when_the_view_is_object()
    {
        var lines = await Render(false, Frame(OutputViews.Object, """{"id":"nightly","schedule":{ "cron" : "0 2 * * *", "note": "a <b> & \"c\"" },"paused":false}"""));

        Assert.Contains(lines, l => l.StartsWith("id") && l.EndsWith("nightly"));
        Assert.Contains(lines, l => l.StartsWith("schedule") && l.EndsWith("""{"cron":"0 2 * * *","note":"a <b> & \"c\""}"""));
        Assert.Contains(lines, l => l.StartsWith("paused") && l.EndsWith("false"));
    }

    [Fact]
    public async Task Should_print_the_string_as_a_line_without_wrapping_when_the_view_is_text()
    {
        var longLine = new string('x', 120);

        var lines = await Render(false, Frame(OutputViews.Text, $"\"{longLine}\""));

        Assert.Equal([longLine, ""], lines);
    }

    [Fact]
    public async Task Should_print_a_plain_line_per_change_when_progress_goes_to_a_pipe()
    {
        var lines = await Render(false,
            Frame(OutputViews.Progress, """{"key":"r1","label":"nightly~1","done":3,"total":10,"state":"running"}"""),
            Frame(OutputViews.Progress, """{"key":"r1","label":"nightly~1","done":3,"total":10,"state":"running"}"""),
            Frame(OutputViews.Text, "\"a line of output\""),
            Frame(OutputViews.Progress, """{"key":"r1","label":"nightly~1","done":10,"total":10,"state":"succeeded"}"""),
            Frame(OutputViews.Progress, """{"key":"r2","label":"export","done":4}"""));

        Assert.Equal(["[nightly~1] 3/10 30%", "a line of output", "[nightly~1] 10/10 100% succeeded", "[export] 4", ""], lines);
        Assert.DoesNotContain('\u001b', _console.Output);
    }

    [Fact]
    public async Task Should_draw_bars_with_label_count_percentage_and_state_and_print_text_above_them_when_live()
    {
        _console.Interactive();

        var lines = await Render(true,
            Frame(OutputViews.Progress, """{"key":"r1","label":"nightly~1","done":3,"total":10,"state":"running"}"""),
            Frame(OutputViews.Text, "\"a line of output\""),
            Frame(OutputViews.Progress, """{"key":"r1","label":"nightly~1","done":7,"total":10,"state":"failed"}"""));

        var bar = lines.Last(l => l.Contains("nightly~1"));
        Assert.Contains("7/10", bar);
        Assert.Contains("70%", bar);
        Assert.Contains("failed", bar);
        Assert.True(Array.FindLastIndex(lines, l => l.Contains("a line of output")) < Array.LastIndexOf(lines, bar),
            "text printed while the bars are live stays above them");
    }

    [Fact]
    public async Task Should_print_each_output_as_one_compact_json_line_when_json_is_asked_for()
    {
        var output = new StringWriter();
        var renderer = new JsonLinesRenderer(output);

        await renderer.RenderAsync(Frame(OutputViews.Table, """[ { "id" : "nightly" } ]""", ["id"], "Count: 1 job"));
        await renderer.RenderAsync(Frame(OutputViews.Text, "\"done\""));
        await renderer.RenderAsync(Frame(OutputViews.Progress, """{"key":"r1","done":1}"""));

        Assert.Equal(["""[{"id":"nightly"}]""", "\"done\"", """{"key":"r1","done":1}""", ""], output.ToString().Split(Environment.NewLine));
    }
}
