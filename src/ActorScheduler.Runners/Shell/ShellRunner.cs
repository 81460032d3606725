using System.Diagnostics;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Shell;

/// <summary>
/// Runs a shell spec as a real process: argv through <see cref="ProcessStartInfo.ArgumentList"/> (no shell
/// string is ever built), a minimal environment (see <see cref="JobEnvironment"/>) with the spec's env and the
/// SCHEDULER_* variables, the worker's <see cref="ShellPolicy"/> and <see cref="ShellEnvironmentRules"/>
/// checked before anything starts. Timeout and cancel kill the whole process tree. stdout and stderr are read
/// concurrently into one bounded tail, in arrival order, and each line is reported to the observer as it is read
/// (<see cref="IRunObserver.Output"/>); stderr protocol lines go to the observer as progress or events instead.
/// </summary>
/// <remarks>
/// A descendant that leaves the process tree (setsid, double fork) survives the kill; it is the job's doing
/// and is only cut off from the output after <see cref="ShellRunnerOptions.OutputDrainTimeout"/>.
/// </remarks>
public sealed class ShellRunner : IRunner
{
    private readonly ShellPolicy policy;
    private readonly ShellRunnerOptions options;

    /// <exception cref="ArgumentException">The policy or options are misconfigured (a start-up error).</exception>
    public ShellRunner(ShellPolicy policy, ShellRunnerOptions? options = null)
    {
        this.policy = policy;
        this.options = options ?? new ShellRunnerOptions();
        var problems = policy.Problems();
        if (problems.Count > 0) throw new ArgumentException("Invalid shell policy: " + string.Join(" ", problems), nameof(policy));
        if (JobEnvironment.Problems(this.options.PassEnvironment).ToList() is { Count: > 0 } passProblems)
            throw new ArgumentException("Invalid shell runner options: " + string.Join(" ", passProblems), nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.OutputLimitBytes, 1, nameof(options));
    }

    public ShellPolicy Policy => policy;

    /// <summary>Whether jobs start with SIGPIPE at its default (see <see cref="ShellRunnerOptions.RestoreSigpipe"/>).</summary>
    public bool RestoresSigpipe => options.RestoreSigpipe && SigpipeReset.IsAvailable;

    public bool CanRun(RunSpec spec) => spec.Shell is not null;

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        if (request.Run?.Shell is not { } spec) return RunResult.Failed("not a shell run");
        var (target, refusal) = ShellStart.Check(spec, policy);
        if (target is null) return RunResult.Failed(refusal!);
        if (cancel.IsCancellationRequested) return RunResult.Canceled("canceled before the process started");

        var (process, error) = await ShellStart.StartAsync(ShellStart.Describe(request, spec, target, options), target.Program)
            .ConfigureAwait(false);
        if (process is null) return RunResult.Failed(error!);
        using (process)
            return await SuperviseAsync(process, request, spec, observer, cancel).ConfigureAwait(false);
    }

    private async Task<RunResult> SuperviseAsync(Process process, RunRequest request, ShellRunSpec spec, IRunObserver observer, CancellationToken cancel)
    {
        var timeout = request.Timeout;
        var output = new OutputTail(options.OutputLimitBytes);
        var kept = new KeptOutput(output, observer);
        var protocol = new StderrProtocol(kept);
        using var stopReading = new CancellationTokenSource();
        using var deadline = new RunDeadline(timeout, cancel);
        var readers = Task.WhenAll(
            LinePump.RunAsync(process.StandardOutput.BaseStream, kept.NewStream(), stopReading.Token),
            LinePump.RunAsync(process.StandardError.BaseStream, protocol.Accept, stopReading.Token));
        // Fed while the output is read: a program that prints before it reads never waits on us, nor we on it.
        var feeding = FeedStandardInputAsync(process, request, spec);

        var aborted = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            aborted = KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await DrainAsync(readers, stopReading, kept).ConfigureAwait(false);
        await feeding.ConfigureAwait(false);

        if (aborted) return deadline.Aborted(output.ToString());
        var exitCode = process.ExitCode;
        return exitCode == 0
            ? RunResult.Succeeded(output.ToString(), exitCode)
            : RunResult.Failed($"exited with code {exitCode}", output.ToString(), exitCode);
    }

    /// <summary>
    /// The run's data as JSON on standard input when the job asks for it (<c>"stdin": "payload"</c>), then end of input;
    /// otherwise end of input at once, so a job never reads the worker's own console. A program that exits without
    /// reading it all is not an error.
    /// </summary>
    private static async Task FeedStandardInputAsync(Process process, RunRequest request, ShellRunSpec spec)
    {
        try
        {
            if (spec.Stdin == "payload")
                await process.StandardInput.WriteAsync(request.Data is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } data ? data.GetRawText() : "null")
                    .ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The program closed its input (or ended) before reading the payload.
        }
    }

    /// <returns>True when the process was still running, false when it had ended on its own meanwhile.</returns>
    private static bool KillTree(Process process)
    {
        if (process.HasExited) return false;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited between the check and the kill; its own exit code tells the rest.
        }
        catch (AggregateException)
        {
            // A descendant could not be signalled (another user's setuid child): our own child, killed first, is
            // dead regardless, so the run still ends aborted and its output is still drained.
        }
        return true;
    }

    private async Task DrainAsync(Task readers, CancellationTokenSource stopReading, KeptOutput output)
    {
        try
        {
            await readers.WaitAsync(options.OutputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
            output.Note("\n[output still open after the process ended (a background child?); stopped reading]\n");
        }
    }
}
