using ActorScheduler.Commands;
using Spectre.Console;

namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// Outputs as plain lines: text and lines as they are, tables and objects laid out by Spectre
/// (<see cref="PlainLines"/>) to fit the terminal when <paramref name="terminal"/>, else unwrapped, so that a pipe to
/// grep sees whole lines. Progress is live when <paramref name="liveProgress"/>, plain lines otherwise; once live bars
/// are on screen, everything else is printed above them.
/// </summary>
internal sealed class ConsoleRenderer(IAnsiConsole console, bool terminal, bool liveProgress) : IOutputRenderer
{
    private readonly int _width = terminal ? console.Profile.Width : PlainLines.UnwrappedWidth;

    private LiveProgress? _live;
    private PlainProgress? _plain;

    public Task RenderAsync(Output output)
    {
        switch (output.View)
        {
            case OutputViews.Progress:
                Progress(ProgressUpdate.From(output.Data));
                break;
            case OutputViews.Table:
                WriteLines(PlainLines.Of(Views.Table(output, _width), console, _width));
                WriteLines(string.IsNullOrEmpty(output.Footer) ? [] : [output.Footer]);
                break;
            case OutputViews.Object:
                WriteLines(PlainLines.Of(Views.Object(output.Data), console, _width));
                break;
            case OutputViews.Lines:
                WriteLines(Views.Lines(output));
                break;
            case OutputViews.Text:
                WriteLines([Views.Text(output.Data)]);
                break;
            default:
                // a view this schedctl does not know yet: still show the data
                WriteLines([CellText.CompactJson(output.Data)]);
                break;
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync() => _live?.CompleteAsync() ?? Task.CompletedTask;

    private void Progress(ProgressUpdate update)
    {
        if (liveProgress)
            (_live ??= new LiveProgress(console)).Update(update);
        else
            (_plain ??= new PlainProgress(console.Profile.Out.Writer)).Update(update);
    }

    private void WriteLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (_live is not null)
                _live.Print(line);
            else
                console.Profile.Out.Writer.WriteLine(line);
        }
    }
}
