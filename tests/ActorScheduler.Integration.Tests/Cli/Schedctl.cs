using System.Diagnostics;
using System.Text;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>What one schedctl run printed and how it ended.</summary>
public sealed record SchedctlResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>The built schedctl (src/ActorScheduler.Cli) run as a process, as an operator runs it.</summary>
public static class Schedctl
{
    public static string Dll { get; } = RepositoryFiles.Path("src", "ActorScheduler.Cli", "bin", RepositoryFiles.Configuration, "net10.0", "schedctl.dll");

    /// <summary>host:port of a node's command host, once the node has logged it (its log line may come after /readyz answers).</summary>
    public static string HostOf(NodeProcess node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (node.CommandPort is null && DateTime.UtcNow < deadline)
            Thread.Sleep(100);
        return $"127.0.0.1:{node.CommandPort ?? throw new InvalidOperationException($"no command host port logged:\n{node.Console}")}";
    }

    public static async Task<SchedctlResult> RunAsync(params string[] arguments) => await RunAsync(null, arguments);

    public static async Task<SchedctlResult> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"schedctl {string.Join(' ', arguments)} did not end within 2 minutes.");
        }
        return new SchedctlResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts schedctl and leaves it running (a tail), its output read line by line into <paramref name="lines"/>.</summary>
    public static Followed Follow(StringBuilder lines, params string[] arguments)
    {
        var process = Start(null, arguments);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Followed(process);
    }

    /// <summary>A schedctl left running; killed at the end of the spec if it is still there.</summary>
    public sealed class Followed(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    /// <summary>Ctrl-C, as a terminal sends it.</summary>
    public static async Task InterruptAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()]))
            await kill!.WaitForExitAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);
    }

    private static Process Start(IDictionary<string, string>? environment, string[] arguments)
    {
        // Through env: a test runner started in the background may have SIGINT ignored, which children inherit and
        // which would keep Ctrl-C from reaching schedctl.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment.Remove("SCHEDCTL_TOKEN");
        start.Environment.Remove("SCHEDCTL_HOST");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start schedctl");
    }
}
