namespace ActorScheduler.Cli.Interactive;

/// <summary>Where the prompt's lines come from; null means the input has ended (Ctrl-D, end of a piped script).</summary>
internal interface ILineSource
{
    string? ReadLine(Completer completer);
}

/// <summary>
/// Lines from a stdin that is not a terminal (<c>schedctl &lt; commands.txt</c>): read plainly, no prompt and no
/// echo, so the output holds only the commands' results.
/// </summary>
internal sealed class PlainLineSource(TextReader input) : ILineSource
{
    public string? ReadLine(Completer completer) => input.ReadLine();
}
