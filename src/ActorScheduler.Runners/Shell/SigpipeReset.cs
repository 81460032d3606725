using System.Diagnostics;

namespace ActorScheduler.Runners.Shell;

/// <summary>
/// The .NET runtime ignores SIGPIPE, and an ignored signal stays ignored across fork and exec, so every job
/// would inherit it: in <c>producer | head</c> the producer then gets write errors ("Broken pipe" in the output)
/// or, if it does not check them, writes on forever, where under cron or a terminal it would quietly end.
/// bash cannot undo an ignore it inherited; coreutils' <c>env --default-signal=PIPE</c> (8.31+) can, and execs
/// the program in place (same pid, same process tree). Without such an env, jobs start as before.
/// </summary>
internal static class SigpipeReset
{
    private const string Option = "--default-signal=PIPE";

    private static readonly Lazy<string?> Env = new(FindCapableEnv, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool IsAvailable => Env.Value is not null;

    /// <summary>Start <paramref name="program"/> through env with SIGPIPE back to its default, when possible.</summary>
    public static void Apply(ProcessStartInfo info, string program)
    {
        // env would read a program path holding '=' as a variable assignment.
        if (Env.Value is not { } env || program.Contains('=')) return;
        info.FileName = env;
        info.ArgumentList.Insert(0, Option);
        info.ArgumentList.Insert(1, "--");
        info.ArgumentList.Insert(2, program);
    }

    private static string? FindCapableEnv()
    {
        if (OperatingSystem.IsWindows() || ProgramResolver.FindOnPath("env") is not { } env) return null;
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(env, [Option, "true"])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (!probe.WaitForExit(TimeSpan.FromSeconds(30))) probe.Kill();
            return probe.HasExited && probe.ExitCode == 0 ? env : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
