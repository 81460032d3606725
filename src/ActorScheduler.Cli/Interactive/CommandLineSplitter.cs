using System.Text;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Interactive;

/// <summary>
/// Splits a line typed at the prompt into words the way a POSIX shell would, so that what works in bash works at the
/// prompt: 'single quotes' are literal, "double quotes" allow \" and \\, a backslash outside quotes escapes the
/// next character (<c>--data '{"a": 1}'</c> is one word).
/// </summary>
internal static class CommandLineSplitter
{
    /// <summary>A word and where it starts in the line.</summary>
    public readonly record struct Word(string Text, int Start);

    /// <exception cref="UsageException">A quote is left open.</exception>
    public static IReadOnlyList<string> Split(string line)
    {
        var (words, openQuote, _) = Scan(line);
        return openQuote is null
            ? words.Select(w => w.Text).ToList()
            : throw new UsageException($"The line has an unclosed {openQuote} quote.");
    }

    /// <summary>
    /// For completion: the finished words before the cursor and the word being typed (empty when the text ends
    /// with a space), with its start so it can be replaced.
    /// </summary>
    public static (IReadOnlyList<string> Before, Word Current) SplitAtCursor(string textBeforeCursor)
    {
        var (words, _, endsInWord) = Scan(textBeforeCursor);
        if (!endsInWord)
            return (words.Select(w => w.Text).ToList(), new Word("", textBeforeCursor.Length));
        return (words.Take(words.Count - 1).Select(w => w.Text).ToList(), words[^1]);
    }

    private static (List<Word> Words, string? OpenQuote, bool EndsInWord) Scan(string line)
    {
        var words = new List<Word>();
        var current = new StringBuilder();
        int? start = null;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (start is { } begun)
                    words.Add(new Word(current.ToString(), begun));
                current.Clear();
                start = null;
                continue;
            }
            start ??= i;
            if (quote == '\'' && c == '\'')
                quote = null;
            else if (quote == '\'')
                current.Append(c);
            else if (c == '\\' && i + 1 < line.Length && (quote is null || line[i + 1] is '"' or '\\'))
                current.Append(line[++i]);
            else if (c is '"' or '\'' && quote is null)
                quote = c;
            else if (c == '"' && quote == '"')
                quote = null;
            else
                current.Append(c);
        }
        if (start is { } last)
            words.Add(new Word(current.ToString(), last));
        return (words, quote is { } open ? (open == '"' ? "double" : "single") : null, start is not null);
    }
}
