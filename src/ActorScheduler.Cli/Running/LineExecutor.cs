using ActorScheduler.Cli.Help;
using ActorScheduler.Cli.Parsing;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Running;

/// <summary>Carries out one parsed line, from the process's arguments or from the prompt, and answers its exit code.</summary>
internal sealed class LineExecutor(HostConnection connection, CommandRunner runner, CliConsole console)
{
    public async Task<int> ExecuteAsync(ParsedLine line)
    {
        switch (line)
        {
            case HelpRequested help:
                HelpWriter.Write(console.Plain, console.Out.Profile.Width, help, connection.Welcome, connection.Host);
                return ExitCodes.Ok;
            case UsageProblem problem:
                await console.Error.WriteLineAsync(problem.Message);
                return ExitCodes.Usage;
            case Invocation invocation:
                return await RunAsync(invocation);
            default:
                throw new InvalidOperationException($"A parsed line of an unknown kind: {line.GetType().Name}.");
        }
    }

    private async Task<int> RunAsync(Invocation invocation)
    {
        try
        {
            return await runner.RunAsync(await connection.ClientAsync(), invocation);
        }
        catch (Exception e) when (e is CommandHostUnreachableException or CommandHostRefusedException)
        {
            await connection.DropAsync();
            await console.Error.WriteLineAsync(ConnectionErrors.Describe(e, connection.Host));
            return ExitCodes.Unreachable;
        }
    }
}
