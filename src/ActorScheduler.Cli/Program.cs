using ActorScheduler.Cli;
using ActorScheduler.Cli.Interactive;
using ActorScheduler.Cli.Running;
using Spectre.Console;

var outputIsTerminal = !Console.IsOutputRedirected;
var ansi = AnsiConsole.Create(new AnsiConsoleSettings
{
    // Redirected output gets no escape sequences at all: it is read by scripts, grep and CI logs.
    Ansi = outputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
    ColorSystem = outputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
    // live progress needs only a terminal on stdout, whatever stdin is
    Interactive = outputIsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
    Out = new AnsiConsoleOutput(Console.Out),
});
var console = new CliConsole(
    ansi,
    Console.Error,
    outputIsTerminal,
    Console.IsInputRedirected || !outputIsTerminal ? null : new ConsoleKeyboard(),
    Console.In,
    Environment.GetEnvironmentVariable);

var interrupts = new Interrupts();
// The first Ctrl-C stops the running request and schedctl waits for the host's End; a second one, or one while
// nothing runs, is not held back and ends the process.
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = interrupts.Interrupt();
    // Live progress hides the cursor; a process ended by Ctrl-C must not leave the terminal without one.
    if (!press.Cancel && outputIsTerminal)
        Console.Out.Write("\e[?25h" + Environment.NewLine);
};

try
{
    return await Schedctl.RunAsync(args, console, interrupts);
}
catch (Exception e)
{
    // Every expected failure has its own sentence and exit code; this is a bug, so the details are worth having.
    Console.Error.WriteLine($"schedctl stopped on an unexpected error; please report it with the command line that caused it.{Environment.NewLine}{e}");
    return ExitCodes.Failed;
}
