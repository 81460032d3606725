using System.Diagnostics;
using System.Text;

namespace ActorScheduler.Gateway.Deploys;

/// <summary>One git command run to its end: its exit code, its standard output (bounded) and the tail of its errors.</summary>
internal sealed record GitResult(int ExitCode, byte[] Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs git commands (argv, never a shell string) with a time-out that kills the process tree, and bounded output.</summary>
internal static class GitProcess
{
    /// <summary>Errors kept of one command, in characters.</summary>
    private const int MaxErrorChars = 4_096;

    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> and was killed.</exception>
    /// <param name="truncate">Keep the first <paramref name="maxOutputBytes"/> of the output and stop reading, rather than fail.</param>
    /// <exception cref="InvalidOperationException">Its output exceeded <paramref name="maxOutputBytes"/>, or git could not be started.</exception>
    public static async Task<GitResult> RunAsync(string git, IEnumerable<string> arguments, TimeSpan timeout, long maxOutputBytes, CancellationToken cancel,
        bool truncate = false)
    {
        var info = new ProcessStartInfo(git) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        Isolate(info);
        using var process = Start(info);
        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        var errors = ReadErrorsAsync(process.StandardError);
        using var output = new MemoryStream();
        var truncated = false;
        try
        {
            var buffer = new byte[81_920];
            int read;
            while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                if (output.Length + read > maxOutputBytes && truncate)
                {
                    output.Write(buffer, 0, (int)(maxOutputBytes - output.Length));
                    Kill(process); // the rest is not needed: the file is refused by its size
                    truncated = true;
                    break;
                }
                if (output.Length + read > maxOutputBytes)
                    throw new InvalidOperationException($"git {string.Join(' ', info.ArgumentList.Take(3))} printed more than {maxOutputBytes} bytes");
                output.Write(buffer, 0, read);
            }
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            Kill(process);
            throw new TimeoutException($"git {string.Join(' ', info.ArgumentList.Take(3))} ran longer than {timeout} and was killed");
        }
        catch
        {
            Kill(process);
            throw;
        }
        return new GitResult(truncated ? 0 : process.ExitCode, output.ToArray(), await errors);
    }

    /// <summary>git reads no configuration of the gateway's user or machine, and never asks anything on a terminal.</summary>
    public static void Isolate(ProcessStartInfo info)
    {
        info.Environment.Clear();
        foreach (var name in new[] { "PATH", "LANG", "TZ" })
            if (Environment.GetEnvironmentVariable(name) is { } value)
                info.Environment[name] = value;
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
    }

    public static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"git ('{info.FileName}', actor-scheduler.deploy.git) could not be started: {e.Message}", e);
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
        {
            // Ended meanwhile.
        }
    }

    /// <summary>The last <see cref="MaxErrorChars"/> characters of what the process writes on standard error.</summary>
    public static async Task<string> ReadErrorsAsync(StreamReader errors)
    {
        var tail = new StringBuilder();
        var buffer = new char[4_096];
        int read;
        while ((read = await errors.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > MaxErrorChars)
                tail.Remove(0, tail.Length - MaxErrorChars);
        }
        return tail.ToString().Trim();
    }
}
