using System.Text;

namespace ActorScheduler.Cli.Help;

/// <summary>
/// Word wrapping for help text. Done here rather than by Spectre's grid, which pads every line to the full width:
/// help is often piped to less or grep, where trailing blanks are noise.
/// </summary>
internal static class TextLayout
{
    private const int MaxNameColumn = 26;

    /// <summary>The words in lines of at most <paramref name="width"/>, the first after <paramref name="first"/>, the rest after <paramref name="next"/>.</summary>
    public static IEnumerable<string> Wrap(IEnumerable<string> words, int width, string first = "", string next = "")
    {
        var line = new StringBuilder(first);
        var empty = true;
        foreach (var word in words.Where(w => w.Length > 0))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append(next);
                empty = true;
            }
            line.Append(empty ? "" : " ").Append(word);
            empty = false;
        }
        yield return line.ToString().TrimEnd();
    }

    public static IEnumerable<string> Wrap(string text, int width, string first = "", string next = "") =>
        Wrap(text.Split(' ', StringSplitOptions.RemoveEmptyEntries), width, first, next);

    /// <summary>Two columns, indented by two: names, then their texts wrapped beside them (below a name too long to share the line).</summary>
    public static IEnumerable<string> Columns(IReadOnlyList<(string Name, string Text)> rows, int width)
    {
        if (rows.Count == 0)
            yield break;
        var nameWidth = Math.Min(MaxNameColumn, rows.Max(r => r.Name.Length));
        var indent = new string(' ', 2 + nameWidth + 2);
        foreach (var (name, text) in rows)
        {
            var head = $"  {name}";
            if (name.Length > nameWidth)
            {
                yield return head;
                head = "";
            }
            foreach (var line in Wrap(text, width, head.PadRight(indent.Length), indent))
                yield return line;
        }
    }
}
