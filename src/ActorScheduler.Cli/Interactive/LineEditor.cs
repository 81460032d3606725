using System.Text;

namespace ActorScheduler.Cli.Interactive;

/// <summary>
/// A small line editor for the prompt over single key presses: printable characters, Backspace/Delete, Left/Right,
/// Home/End (Ctrl-A/Ctrl-E), Ctrl-U/Ctrl-K, Up/Down through the history, Tab completion, Enter. Ctrl-C abandons
/// the line, Ctrl-D on an empty line ends the input. A line wider than the terminal scrolls sideways, so the
/// redraw never has to track wrapped rows.
/// </summary>
internal sealed class LineEditor(IKeyboard keyboard, TextWriter output, string prompt) : ILineSource
{
    private const string ClearToEnd = "\e[K";

    private readonly List<string> _history = [];
    private readonly StringBuilder _line = new();
    private int _cursor;
    private int _scroll;
    private int _historyIndex;
    private string _draft = "";

    public string? ReadLine(Completer completer)
    {
        using var editing = keyboard.EditingLine();
        _line.Clear();
        _cursor = _scroll = 0;
        _historyIndex = _history.Count;
        Redraw();
        while (true)
        {
            var key = keyboard.ReadKey();
            // Ctrl+Alt is AltGr on many Windows layouts ({ } [ ] @ \): a character, not a shortcut.
            var shortcut = key.Modifiers.HasFlag(ConsoleModifiers.Control) && !key.Modifiers.HasFlag(ConsoleModifiers.Alt);
            var outcome = shortcut ? ControlKey(key.Key) : Key(key, completer);
            switch (outcome)
            {
                case Outcome.Submit:
                    output.WriteLine();
                    var line = _line.ToString();
                    Remember(line);
                    return line;
                case Outcome.Abandon:
                    output.WriteLine("^C");
                    return "";
                case Outcome.EndOfInput:
                    output.WriteLine();
                    return null;
            }
            Redraw();
        }
    }

    private enum Outcome
    {
        Edit,
        Submit,
        Abandon,
        EndOfInput,
    }

    private Outcome ControlKey(ConsoleKey key)
    {
        switch (key)
        {
            case ConsoleKey.C:
                return Outcome.Abandon;
            case ConsoleKey.D when _line.Length == 0:
                return Outcome.EndOfInput;
            case ConsoleKey.D when _cursor < _line.Length:
                _line.Remove(_cursor, 1);
                break;
            case ConsoleKey.A:
                _cursor = 0;
                break;
            case ConsoleKey.E:
                _cursor = _line.Length;
                break;
            case ConsoleKey.U:
                _line.Remove(0, _cursor);
                _cursor = 0;
                break;
            case ConsoleKey.K:
                _line.Remove(_cursor, _line.Length - _cursor);
                break;
        }
        return Outcome.Edit;
    }

    private Outcome Key(ConsoleKeyInfo key, Completer completer)
    {
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Outcome.Submit;
            case ConsoleKey.Backspace when _cursor > 0:
                _line.Remove(--_cursor, 1);
                break;
            case ConsoleKey.Delete when _cursor < _line.Length:
                _line.Remove(_cursor, 1);
                break;
            case ConsoleKey.LeftArrow:
                _cursor = Math.Max(0, _cursor - 1);
                break;
            case ConsoleKey.RightArrow:
                _cursor = Math.Min(_line.Length, _cursor + 1);
                break;
            case ConsoleKey.Home:
                _cursor = 0;
                break;
            case ConsoleKey.End:
                _cursor = _line.Length;
                break;
            case ConsoleKey.UpArrow:
                Recall(-1);
                break;
            case ConsoleKey.DownArrow:
                Recall(+1);
                break;
            case ConsoleKey.Tab:
                Complete(completer);
                break;
            default:
                if (!char.IsControl(key.KeyChar))
                    _line.Insert(_cursor++, key.KeyChar);
                break;
        }
        return Outcome.Edit;
    }

    /// <summary>One candidate completes in place; several are listed below and the prompt is drawn again (as bash does).</summary>
    private void Complete(Completer completer)
    {
        var completion = completer.Complete(_line.ToString(0, _cursor));
        if (completion.Candidates.Count == 1)
        {
            Replace(completion.ReplaceFrom, completion.Candidates[0] + " ");
            return;
        }
        if (completion.Candidates.Count == 0)
            return;
        var shared = CandidateList.CommonPrefix(completion.Candidates);
        if (shared.Length > completion.Word.Length)
            Replace(completion.ReplaceFrom, shared);
        output.WriteLine();
        foreach (var row in CandidateList.Rows(completion.Candidates, keyboard.Width))
            output.WriteLine(row);
    }

    private void Replace(int from, string text)
    {
        _line.Remove(from, _cursor - from).Insert(from, text);
        _cursor = from + text.Length;
    }

    private void Recall(int step)
    {
        var index = Math.Clamp(_historyIndex + step, 0, _history.Count);
        if (index == _historyIndex)
            return;
        if (_historyIndex == _history.Count)
            _draft = _line.ToString();
        _historyIndex = index;
        _line.Clear().Append(index == _history.Count ? _draft : _history[index]);
        _cursor = _line.Length;
    }

    private void Remember(string line)
    {
        if (!string.IsNullOrWhiteSpace(line) && (_history.Count == 0 || _history[^1] != line))
            _history.Add(line);
    }

    private void Redraw()
    {
        var room = Math.Max(8, keyboard.Width - prompt.Length - 1);
        _scroll = Math.Clamp(_scroll, Math.Max(0, _cursor - room), _cursor);
        var shown = _line.ToString(_scroll, Math.Min(room, _line.Length - _scroll));
        output.Write($"\r{prompt}{shown}{ClearToEnd}");
        var back = shown.Length - (_cursor - _scroll);
        if (back > 0)
            output.Write($"\e[{back}D");
        output.Flush();
    }
}
