using ActorScheduler.Cli.Interactive;
using ActorScheduler.Cli.Running;
using Spectre.Console;

namespace ActorScheduler.Cli.Tests;

/// <summary>What one schedctl run printed and answered.</summary>
internal sealed record RunResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs schedctl in this process, as Program does, with stdout and stderr captured as a pipe would see them (not a
/// terminal: no escape sequences, 80 columns) and an environment of the spec's own.
/// </summary>
internal static class SchedctlRun
{
    public static async Task<RunResult> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null,
        string stdin = "", Interrupts? interrupts = null, IKeyboard? keyboard = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(PlainConsole(TextWriter.Synchronized(output)), TextWriter.Synchronized(error), OutputIsTerminal: false,
            keyboard, new StringReader(stdin), name => environment?.GetValueOrDefault(name));
        var exitCode = await Schedctl.RunAsync(args, console, interrupts ?? new Interrupts()).WaitAsync(TimeSpan.FromMinutes(2));
        return new RunResult(exitCode, output.ToString(), error.ToString());
    }

    public static IAnsiConsole PlainConsole(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(output),
    });
}
