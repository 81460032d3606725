using ActorScheduler.Cli.Interactive;

namespace ActorScheduler.Cli.Tests;

/// <summary>Key presses scripted by a spec, as a terminal would deliver them to the line editor.</summary>
internal sealed class ScriptedKeyboard : IKeyboard
{
    private readonly Queue<ConsoleKeyInfo> _keys = new();

    public int Width { get; init; } = 80;

    /// <summary>How many lines were edited (and so had Ctrl-C turned into a key) and are now finished.</summary>
    public int LinesFinished { get; private set; }

    public ScriptedKeyboard Type(string text)
    {
        foreach (var c in text)
            _keys.Enqueue(new ConsoleKeyInfo(c, c == '\t' ? ConsoleKey.Tab : c == '\n' ? ConsoleKey.Enter : ConsoleKey.A, false, false, false));
        return this;
    }

    public ScriptedKeyboard Press(ConsoleKey key, bool control = false)
    {
        _keys.Enqueue(new ConsoleKeyInfo(key == ConsoleKey.Enter ? '\r' : '\0', key, false, false, control));
        return this;
    }

    public ConsoleKeyInfo ReadKey() => _keys.TryDequeue(out var key)
        ? key
        : throw new InvalidOperationException("The spec ran out of scripted keys: the editor wanted another.");

    public IDisposable EditingLine() => new Finished(this);

    private sealed class Finished(ScriptedKeyboard keyboard) : IDisposable
    {
        public void Dispose() => keyboard.LinesFinished++;
    }
}
