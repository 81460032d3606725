using ActorScheduler.Cli.Parsing;
using ActorScheduler.Cli.Running;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Interactive;

/// <summary>
/// The prompt: read a line, split it as a shell would, parse it with the palettes' command line and run it, until
/// <c>exit</c>, <c>quit</c> or the end of the input. A failed command does not end the session; a lost connection is
/// opened again by the next command, with the palettes the host then advertises.
/// </summary>
internal sealed class InteractiveSession(HostConnection connection, LineExecutor executor, ILineSource lines, CliConsole console)
{
    private Welcome? _parsedFor;
    private PaletteCommandLine _commandLine = new([]);
    private Completer _completer = new([]);

    /// <summary>Answers the exit code of the last command, as a shell script does.</summary>
    public async Task<int> RunAsync()
    {
        var exitCode = ExitCodes.Ok;
        while (true)
        {
            FollowPalettes();
            var line = lines.ReadLine(_completer);
            if (line is null)
                return exitCode;
            IReadOnlyList<string> words;
            try
            {
                words = CommandLineSplitter.Split(line);
            }
            catch (UsageException e)
            {
                await console.Error.WriteLineAsync(e.Message);
                exitCode = ExitCodes.Usage;
                continue;
            }
            if (words is ["exit" or "quit"])
                return exitCode;
            if (words.Count > 0)
                exitCode = await executor.ExecuteAsync(_commandLine.Parse(words));
        }
    }

    private void FollowPalettes()
    {
        if (connection.Welcome is not { } welcome || ReferenceEquals(welcome, _parsedFor))
            return;
        _parsedFor = welcome;
        _commandLine = new PaletteCommandLine(welcome.Palettes);
        _completer = new Completer(welcome.Palettes);
    }
}
