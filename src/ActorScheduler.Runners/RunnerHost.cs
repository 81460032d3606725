using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Runners;

/// <summary>
/// The worker's single entry point for runs: picks the runner for a <see cref="RunSpec"/> and turns every bad
/// input or unexpected runner exception into a Failed result, so the caller never has to catch. It is itself an
/// <see cref="IRunner"/>, so the worker actor can take it where it takes any runner.
/// </summary>
public sealed class RunnerHost(params IEnumerable<IRunner> runners) : IRunner
{
    private readonly IReadOnlyList<IRunner> runners = runners.ToList();

    public IReadOnlyList<IRunner> Runners => runners;

    public bool CanRun(RunSpec spec) => runners.Any(r => r.CanRun(spec));

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver? observer, CancellationToken cancel)
    {
        if (request?.Run is not { } spec) return RunResult.Failed("the run request has no run spec");
        var kind = Kind(spec);
        if (kind is null)
            return RunResult.Failed("run must have exactly one of shell, http, handler or script");
        var runner = runners.FirstOrDefault(r => r.CanRun(spec));
        if (runner is null) return RunResult.Failed($"this worker has no runner for {kind} runs");
        try
        {
            return await runner.RunAsync(request, observer ?? NullRunObserver.Instance, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return RunResult.Canceled("canceled");
        }
        catch (Exception e)
        {
            return RunResult.Failed($"the {kind} runner failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }

    private static string? Kind(RunSpec spec) => (spec.Shell, spec.Http, spec.Handler, spec.Script) switch
    {
        ({ }, null, null, null) => "shell",
        (null, { }, null, null) => "http",
        (null, null, { }, null) => "handler",
        (null, null, null, { }) => "script",
        _ => null,
    };
}
