using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorScheduler.Cli.Tests;

/// <summary>What a child process printed and answered.</summary>
internal sealed record ProcessResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Child processes for the packaging specs: dotnet (pack, tool install, build) and the installed schedctl. The
/// environment is this one without the MSBuild and test-runner variables `dotnet test` sets, which would steer a
/// nested build into the outer one's SDK state.
/// </summary>
internal static partial class ChildProcess
{
    /// <summary>Generous: a pack or a build on a loaded 2-core machine; only a hang should ever reach it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private const int SigInt = 2;

    /// <summary>The dotnet that runs these specs (the test runner says which), else the one on the PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        // no build node or server outlives the spec
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (Path.IsPathRooted(Dotnet))
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Dotnet);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return start;
    }

    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await WaitAsync(process, start);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs and fails the spec, with everything the process printed, unless it exits 0.</summary>
    public static async Task<ProcessResult> SucceedAsync(ProcessStartInfo start)
    {
        var result = await RunAsync(start);
        Assert.True(result.ExitCode == 0, $"{start.FileName} {string.Join(' ', start.ArgumentList)} failed:\n{result}");
        return result;
    }

    public static async Task WaitAsync(Process process, ProcessStartInfo start)
    {
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not end within {Patience}.");
        }
    }

    /// <summary>Reads stdout lines until one satisfies <paramref name="seen"/>; answers everything read so far.</summary>
    public static async Task<string> ReadUntilAsync(Process process, Func<string, bool> seen)
    {
        var read = new StringBuilder();
        using var patience = new CancellationTokenSource(Patience);
        while (await process.StandardOutput.ReadLineAsync(patience.Token) is { } line)
        {
            read.AppendLine(line);
            if (seen(line))
                return read.ToString();
        }
        throw new InvalidOperationException($"The process ended before printing the awaited line; it printed:\n{read}{await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Ctrl-C as a terminal sends it: SIGINT to the process.</summary>
    public static void Interrupt(Process process)
    {
        if (Kill(process.Id, SigInt) != 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError());
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
