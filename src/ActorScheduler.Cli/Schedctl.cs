using ActorScheduler.Cli.Help;
using ActorScheduler.Cli.Interactive;
using ActorScheduler.Cli.Launch;
using ActorScheduler.Cli.Parsing;
using ActorScheduler.Cli.Running;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli;

/// <summary>
/// schedctl from its arguments to its exit code:
/// <code>
///   args ─▶ connection settings (host, token, timeout) ─▶ connect ─▶ Welcome(palettes)
///        ─▶ command line built from the palettes ─▶ one command, or the prompt when no command was given
/// </code>
/// Only <c>--version</c> and the usage shown when no host answers work without a connection.
/// </summary>
internal static class Schedctl
{
    private static readonly string[] HelpWords = ["--help", "-h", "-?", PaletteCommandLine.HelpWord];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, Interrupts interrupts)
    {
        LaunchSettings launch;
        try
        {
            launch = LaunchArguments.Parse(args, console.Environment);
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        if (launch.Rest is ["--version"])
        {
            await console.Plain.WriteLineAsync($"schedctl {ToolVersion.Text}");
            return ExitCodes.Ok;
        }
        await using var connection = new HostConnection(launch);
        try
        {
            await connection.ClientAsync();
        }
        catch (Exception e) when (e is CommandHostUnreachableException or CommandHostRefusedException)
        {
            if (launch.Rest.Any(HelpWords.Contains))
                HelpWriter.WriteUsage(console.Plain, console.Out.Profile.Width);
            await console.Error.WriteLineAsync(ConnectionErrors.Describe(e, launch.Host));
            return ExitCodes.Unreachable;
        }
        var executor = new LineExecutor(connection, new CommandRunner(console, interrupts, launch.Timeout), console);
        if (launch.Rest.Count > 0)
            return await executor.ExecuteAsync(new PaletteCommandLine(connection.Welcome!.Palettes).Parse(launch.Rest));
        return await Prompt(connection, executor, console);
    }

    private static Task<int> Prompt(HostConnection connection, LineExecutor executor, CliConsole console)
    {
        ILineSource lines = console.Keyboard is { } keyboard
            ? new LineEditor(keyboard, console.Plain, $"[{connection.Host}] schedctl> ")
            : new PlainLineSource(console.Input);
        if (console.Keyboard is not null && connection.Welcome is { Node: var node })
        {
            console.Plain.WriteLine($"{connection.Host} is {node.Kind} {node.Address} ({node.Version}).");
            console.Plain.WriteLine("Tab completes, 'help' lists the palettes, 'exit' or Ctrl-D leaves.");
        }
        return new InteractiveSession(connection, executor, lines, console).RunAsync();
    }
}
