using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Runners;

/// <summary>
/// One attempt of a run as the worker receives it. <see cref="FencingToken"/> is monotonic per job so that
/// downstream systems can reject a stale duplicate; <see cref="Timeout"/> null means no limit;
/// <see cref="ChainDepth"/> is 0 for a run that no other run's event or completion triggered, and one more than
/// its trigger's otherwise; <see cref="LastResult"/> is what the job's previous finished run passed on (its emitted
/// data or output tail, see <c>Core.Jobs.LastResult</c>), null for the first run.
/// </summary>
public sealed record RunRequest(
    JobId JobId,
    RunId RunId,
    int Attempt,
    long FencingToken,
    DateTimeOffset ScheduledFor,
    RunSpec Run,
    TimeSpan? Timeout,
    JsonElement? Data,
    int ChainDepth = 0,
    string? LastResult = null);

/// <summary>
/// Receives what a run reports while it runs. Calls come from a background thread, one at a time per run;
/// an implementation must not block for long (a shell run's stdout and stderr are read on the same path).
/// </summary>
public interface IRunObserver
{
    void Progress(long current, long? max);

    void Emit(string eventName, JsonElement? data);

    /// <summary>
    /// A piece of the run's output as soon as it is read, so a reader can follow the run before it ends. A shell
    /// run reports every line of stdout and stderr it keeps (not its stderr protocol lines), each with its line end
    /// unless it is a piece of a line longer than the read limit or an unterminated last line; concatenated, the
    /// pieces are the whole output, of which <see cref="RunResult.Output"/> keeps the tail. HTTP runs report nothing
    /// here (their body arrives with the result); a handler reports what it passes to
    /// <see cref="Handlers.HandlerContext.Output"/>.
    /// </summary>
    /// <remarks>The default ignores the output: an observer that wraps another must pass it on.</remarks>
    void Output(string line)
    {
    }
}

/// <summary>An observer for callers that do not care about progress, emitted events or live output.</summary>
public sealed class NullRunObserver : IRunObserver
{
    public static NullRunObserver Instance { get; } = new();

    private NullRunObserver() { }

    public void Progress(long current, long? max) { }

    public void Emit(string eventName, JsonElement? data) { }

    public void Output(string line) { }
}

/// <summary>
/// How an attempt ended. <see cref="Outcome"/> is one of Succeeded, Failed, TimedOut, Canceled;
/// <see cref="Output"/> is the bounded tail of what the run printed or answered.
/// </summary>
public sealed record RunResult(RunStatus Outcome, int? ExitCode, string Output, string? Error)
{
    /// <summary>The data the run emitted last, if any: the worker sets it from what its observer saw, not the runner.</summary>
    public JsonElement? LastEmitted { get; init; }

    public static RunResult Succeeded(string output = "", int? exitCode = null) =>
        new(RunStatus.Succeeded, exitCode, output, null);

    public static RunResult Failed(string error, string output = "", int? exitCode = null) =>
        new(RunStatus.Failed, exitCode, output, error);

    public static RunResult Canceled(string error, string output = "") =>
        new(RunStatus.Canceled, null, output, error);

    public static RunResult TimedOut(string error, string output = "") =>
        new(RunStatus.TimedOut, null, output, error);
}

/// <summary>
/// Runs one kind of <see cref="RunSpec"/>. <see cref="RunAsync"/> reports bad input and failures as a
/// Failed result rather than throwing; it returns once the work has stopped (a killed process included).
/// </summary>
public interface IRunner
{
    bool CanRun(RunSpec spec);

    Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel);
}
