using System.Collections.Concurrent;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Runners.Tests.Support;

/// <summary>Builders for run requests, and the bound every test puts on a run so a hang fails instead of stalling.</summary>
internal static class Runs
{
    /// <summary>Far above any run in these specs; only a hung runner reaches it.</summary>
    public static readonly TimeSpan TestBound = TimeSpan.FromSeconds(90);

    public static readonly DateTimeOffset ScheduledFor = new(2026, 3, 1, 2, 30, 0, TimeSpan.Zero);

    public static RunRequest Request(RunSpec run, TimeSpan? timeout = null, JsonElement? data = null) =>
        new(JobId.Parse("nightly-billing"), new RunId(JobId.Parse("nightly-billing"), 7), Attempt: 2, FencingToken: 41,
            ScheduledFor, run, timeout, data);

    public static RunRequest Shell(params string[] command) => Request(new RunSpec { Shell = new ShellRunSpec { Command = command } });

    public static RunRequest ShellIn(string workingDirectory, params string[] command) =>
        Request(new RunSpec { Shell = new ShellRunSpec { Command = command, WorkingDirectory = workingDirectory } });

    public static RunRequest Bash(string script, TimeSpan? timeout = null) =>
        Request(new RunSpec { Shell = new ShellRunSpec { Command = ["bash", "-c", script] } }, timeout);

    public static RunRequest Handler(string name, params JsonElement[] arguments) =>
        Request(new RunSpec { Handler = new HandlerRunSpec { Name = name, Arguments = arguments } });

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static Task<RunResult> Within(this Task<RunResult> run) => run.Within("the run to finish");

    /// <summary>Waits at most <see cref="TestBound"/>, then fails naming <paramref name="what"/> instead of stalling the suite.</summary>
    public static async Task<T> Within<T>(this Task<T> task, string what)
    {
        await ((Task)task).Within(what);
        return await task;
    }

    /// <inheritdoc cref="Within{T}(Task{T}, string)"/>
    public static async Task Within(this Task task, string what)
    {
        try
        {
            await task.WaitAsync(TestBound);
        }
        catch (TimeoutException e) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Waited {TestBound.TotalSeconds:0} s for {what}; it never happened (a hang).", e);
        }
    }

    public static string[] Lines(this RunResult result) =>
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Records what a run reported; <see cref="OnProgress"/> lets a spec react the moment a script reports.</summary>
internal sealed class RecordingObserver : IRunObserver
{
    public ConcurrentQueue<(long Current, long? Max)> Progressed { get; } = new();

    public ConcurrentQueue<(string Name, string? Data)> Emitted { get; } = new();

    public ConcurrentQueue<string> Outputs { get; } = new();

    public Action? OnProgress { get; init; }

    /// <summary>Throws on every output line when set (an observer that fails).</summary>
    public Exception? FailOutput { get; init; }

    public void Output(string line)
    {
        if (FailOutput is { } failure) throw failure;
        Outputs.Enqueue(line);
    }

    public void Progress(long current, long? max)
    {
        Progressed.Enqueue((current, max));
        OnProgress?.Invoke();
    }

    public void Emit(string eventName, JsonElement? data) => Emitted.Enqueue((eventName, data?.GetRawText()));
}

/// <summary>A fresh directory under the temp folder, removed again with the spec.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("runners-specs-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>An executable bash script; it touches <c>&lt;name&gt;.ran</c> beside itself when it runs.</summary>
    public string Script(string relativePath, string body = "echo ran")
    {
        var file = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"#!/usr/bin/env bash\ntouch \"$0.ran\"\n{body}\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return file;
    }

    public static bool Ran(string script) => File.Exists(script + ".ran");

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a killed child may still hold a file; the temp folder is cleaned eventually */ }
    }
}

internal static class Processes
{
    /// <summary>
    /// Waits until the process is gone or a zombie (dead, waiting for a parent that may never reap it, as a
    /// container's PID 1 often does not). Bounded by <see cref="Runs.TestBound"/>, never a timing assertion.
    /// </summary>
    public static async Task<bool> IsGoneAsync(int pid)
    {
        var until = DateTime.UtcNow + Runs.TestBound;
        while (DateTime.UtcNow < until)
        {
            if (!IsAlive(pid)) return true;
            await Task.Delay(50);
        }
        return false;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
