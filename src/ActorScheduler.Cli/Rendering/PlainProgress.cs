namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// Progress when stdout is not a terminal (a pipe, a file, CI): no escape sequences, one plain line per change, so
/// a log reads as a history rather than a smear of redraws.
/// </summary>
internal sealed class PlainProgress(TextWriter output)
{
    private readonly Dictionary<string, string> _lastLine = [];

    public void Update(ProgressUpdate update)
    {
        var line = update.PlainLine();
        if (_lastLine.TryGetValue(update.Key, out var last) && last == line)
            return;
        _lastLine[update.Key] = line;
        output.WriteLine(line);
    }
}
