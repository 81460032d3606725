namespace ActorScheduler.Cli.Interactive;

/// <summary>The terminal's keys, as the line editor needs them (a console in the tool, a script of keys in specs).</summary>
internal interface IKeyboard
{
    ConsoleKeyInfo ReadKey();

    /// <summary>The terminal's width in columns.</summary>
    int Width { get; }

    /// <summary>
    /// While a line is edited Ctrl-C is a key (it abandons the line, as in bash); outside, it interrupts the running
    /// command. Dispose to return to that.
    /// </summary>
    IDisposable EditingLine();
}

/// <summary>The process's own console.</summary>
internal sealed class ConsoleKeyboard : IKeyboard
{
    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    public IDisposable EditingLine()
    {
        Console.TreatControlCAsInput = true;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => Console.TreatControlCAsInput = false;
    }
}
