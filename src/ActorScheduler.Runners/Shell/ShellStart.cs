using System.ComponentModel;
using System.Diagnostics;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Runners.Shell;

/// <summary>Everything between a shell spec and a started process: checks, policy, start info, start.</summary>
internal static class ShellStart
{
    private const int TextFileBusy = 26; // ETXTBSY

    /// <summary>What to start, or the error that ends the run before anything starts.</summary>
    public sealed record Target(string Program, string WorkingDirectory);

    public static (Target? Target, string? Error) Check(ShellRunSpec spec, ShellPolicy policy)
    {
        if (spec.Command is not { Count: > 0 } command || string.IsNullOrWhiteSpace(command[0]))
            return (null, "run.shell.command is empty: give the program and its arguments as an array");
        if (command.Any(argument => argument is null || argument.Contains('\0'))
            || spec.WorkingDirectory?.Contains('\0') == true)
            return (null, "run.shell.command and workingDirectory must not hold null arguments or NUL characters");
        if (JobEnvironment.Refusal(spec, policy) is { } refusedEnvironment) return (null, refusedEnvironment);
        var workingDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(spec.WorkingDirectory)
            ? Environment.CurrentDirectory
            : spec.WorkingDirectory);
        if (!Directory.Exists(workingDirectory))
            return (null, $"working directory '{workingDirectory}' does not exist on this worker");
        var program = ProgramResolver.Resolve(command[0], workingDirectory);
        if (program is null)
            return (null, ProgramResolver.IsBareName(command[0])
                ? $"program '{command[0]}' was not found on this worker's PATH"
                : $"program '{command[0]}' was not found ({Path.GetFullPath(command[0], workingDirectory)})");
        if (!policy.Allows(program)) return (null, policy.Refusal(command[0], program));
        return ProgramResolver.IsExecutable(program)
            ? (new Target(program, workingDirectory), null)
            : (null, $"program '{command[0]}' ({program}) is not executable: set its execute permission");
    }

    public static ProcessStartInfo Describe(RunRequest request, ShellRunSpec spec, Target target, ShellRunnerOptions options)
    {
        var info = new ProcessStartInfo(target.Program)
        {
            WorkingDirectory = target.WorkingDirectory,
            UseShellExecute = false,
            // stdin is redirected and closed at once: a job must not read the worker's own console.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in spec.Command!.Skip(1)) info.ArgumentList.Add(argument);
        if (options.RestoreSigpipe) SigpipeReset.Apply(info, target.Program);
        // Environment starts as a copy of the worker's own; the job gets only what JobEnvironment chose.
        info.Environment.Clear();
        foreach (var (name, value) in JobEnvironment.Build(request, spec, options.PassEnvironment, Environment.GetEnvironmentVariable, options.ScriptApi))
            info.Environment[name] = value;
        return info;
    }

    /// <returns>The started process, or null with the reason it could not start.</returns>
    public static async Task<(Process? Process, string? Error)> StartAsync(ProcessStartInfo info, string program)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (Process.Start(info), null);
            }
            catch (Win32Exception e) when (e.NativeErrorCode == TextFileBusy && attempt < 5)
            {
                // A script just written is briefly "busy" while another thread's fork still holds the writer's
                // descriptor (it closes on that child's exec); this clears within milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Win32Exception or ArgumentException or InvalidOperationException)
            {
                return (null, $"could not start '{program}': {e.Message}");
            }
        }
    }
}
