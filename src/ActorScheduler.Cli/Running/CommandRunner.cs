using ActorScheduler.Cli.Documents;
using ActorScheduler.Cli.Parsing;
using ActorScheduler.Cli.Rendering;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Running;

/// <summary>
/// Sends one <see cref="Invocation"/>, renders its outputs as they stream in and turns its End into an exit code.
/// A command that does not stream gets <paramref name="timeout"/> to answer; a streaming one runs until Ctrl-C.
/// </summary>
internal sealed class CommandRunner(CliConsole console, Interrupts interrupts, TimeSpan timeout)
{
    /// <exception cref="CommandHostUnreachableException">The connection was lost, or the host ignored a cancel.</exception>
    public async Task<int> RunAsync(CommandClient client, Invocation invocation)
    {
        IReadOnlyDictionary<string, string> arguments;
        try
        {
            arguments = WithDocumentsRead(invocation);
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        // live bars need a terminal that takes escape sequences (not TERM=dumb); anything else gets plain lines
        var live = console.OutputIsTerminal && console.Out.Profile.Capabilities.Ansi;
        IOutputRenderer renderer = invocation.Json ? new JsonLinesRenderer(console.Plain) : new ConsoleRenderer(console.Out, console.OutputIsTerminal, live);
        using var interrupt = interrupts.BeginRequest();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt.Token);
        if (!invocation.Command.Streams)
            stop.CancelAfter(timeout);
        End end;
        try
        {
            end = await UntilEnd(client.RunAsync(invocation.Palette.Name, invocation.Command.Name, arguments, renderer.RenderAsync, stop.Token), stop.Token);
        }
        finally
        {
            await renderer.CompleteAsync();
        }
        var interrupted = interrupt.Token.IsCancellationRequested;
        return await Report(end, invocation, interrupted, timedOut: stop.IsCancellationRequested && !interrupted);
    }

    /// <summary>
    /// The run's End. Once the request is canceled the host owes an End; one that does not come within the timeout
    /// means the host is stuck, and the connection (with a reader still on it) cannot be reused.
    /// </summary>
    private async Task<End> UntilEnd(Task<End> run, CancellationToken stop)
    {
        var stopped = new TaskCompletionSource();
        await using (stop.Register(() => stopped.TrySetResult()))
            if (await Task.WhenAny(run, stopped.Task) == run)
                return await run;
        try
        {
            return await run.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new CommandHostUnreachableException(
                $"The command host did not confirm the cancel within {timeout.TotalSeconds:0.#} s; the connection was dropped.");
        }
    }

    private static IReadOnlyDictionary<string, string> WithDocumentsRead(Invocation invocation)
    {
        var arguments = new Dictionary<string, string>(invocation.Arguments);
        foreach (var parameter in invocation.Command.Parameters.Where(IsRead))
            if (arguments.TryGetValue(parameter.Name, out var path))
                arguments[parameter.Name] = parameter.Type == ParameterTypes.Directory ? DirectoryReader.ReadAsJson(path) : DocumentReader.ReadAsJson(path);
        return arguments;
    }

    /// <summary>A parameter whose value names a file or directory on this machine, which schedctl reads and sends.</summary>
    private static bool IsRead(ParameterSpec parameter) => parameter.Type is ParameterTypes.Document or ParameterTypes.Directory;

    /// <summary>
    /// An error of a command given a file (or directory) names it (<c>board.yaml: jobs[2].schedule.cron: …</c>): the host got the
    /// file's content, never its path.
    /// </summary>
    private static string? NamingFiles(string? message, Invocation invocation)
    {
        var files = invocation.Command.Parameters.Where(IsRead)
            .Select(p => invocation.Arguments.GetValueOrDefault(p.Name)).OfType<string>().ToList();
        return files.Count == 0 || string.IsNullOrEmpty(message) ? message : $"{string.Join(", ", files)}: {message}";
    }

    private async Task<int> Report(End end, Invocation invocation, bool interrupted, bool timedOut)
    {
        var message = end.Message?.Trim();
        if (end.Status is EndStatus.Usage or EndStatus.Failed)
            message = NamingFiles(message, invocation);
        switch (end.Status)
        {
            case EndStatus.Ok:
                if (!string.IsNullOrEmpty(message))
                    await (invocation.Json ? console.Error : console.Plain).WriteLineAsync(message);
                return ExitCodes.Ok;
            case EndStatus.Canceled when interrupted && invocation.Command.Streams:
                return ExitCodes.Ok; // a tail stopped with Ctrl-C: what the user asked for
            case EndStatus.Canceled when interrupted:
                await console.Error.WriteLineAsync("Interrupted: the command was canceled on the node, and it may have taken effect before that.");
                return ExitCodes.Failed;
            case EndStatus.Canceled when timedOut:
                await console.Error.WriteLineAsync(
                    $"No answer within {timeout.TotalSeconds:0.#} s, so the request was canceled; it may still have taken effect on the node. " +
                    "Give a slow command more time with --timeout SECONDS.");
                return ExitCodes.Failed;
            case EndStatus.Canceled:
                await console.Error.WriteLineAsync($"The node canceled the command: {message ?? "no reason given"}");
                return ExitCodes.Failed;
            case EndStatus.Usage:
                await console.Error.WriteLineAsync($"{message} (schedctl {PaletteCommandLine.Words(invocation.Palette, invocation.Command)} --help)");
                return ExitCodes.Usage;
            case EndStatus.Failed:
                await console.Error.WriteLineAsync(string.IsNullOrEmpty(message) ? "The command failed; the host gave no reason." : message);
                return ExitCodes.Failed;
            default:
                await console.Error.WriteLineAsync($"The host ended the command with an unknown status '{end.Status}': {message}");
                return ExitCodes.Failed;
        }
    }
}
