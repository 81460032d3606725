using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// A Spectre renderable (a table, a grid) laid out for a console's width and turned into plain lines, with the
/// blank edge rows and the padding to the full width that Spectre leaves trimmed away: the lines then read the
/// same on a terminal, in a pipe and in a log.
/// </summary>
internal static class PlainLines
{
    /// <summary>Wide enough that no row of a table sent to a pipe is wrapped: grep and awk see one line a row.</summary>
    public const int UnwrappedWidth = 4096;

    public static IReadOnlyList<string> Of(IRenderable renderable, IAnsiConsole target, int width)
    {
        var text = new StringWriter();
        var layout = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        layout.Profile.Width = width;
        layout.Profile.Capabilities.Unicode = target.Profile.Capabilities.Unicode;
        layout.Write(renderable);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        var first = lines.FindIndex(l => l.Length > 0);
        var last = lines.FindLastIndex(l => l.Length > 0);
        return first < 0 ? [] : lines[first..(last + 1)];
    }
}
