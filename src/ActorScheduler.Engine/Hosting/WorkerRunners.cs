using ActorScheduler.Runners;
using ActorScheduler.Runners.Handlers;
using ActorScheduler.Runners.Http;
using ActorScheduler.Runners.Shell;

namespace ActorScheduler.Engine.Hosting;

/// <summary>The runners a worker node offers, built from its settings: shell (under its policy), http, handlers.</summary>
public static class WorkerRunners
{
    public static ShellPolicy Policy(WorkerSettings worker) => new()
    {
        AllowAnyCommand = worker.AllowAnyCommand,
        AllowedCommands = worker.AllowedCommands.ToList(),
        ScriptDirectories = worker.ScriptDirectories.ToList(),
    };

    /// <param name="handlers">In-process handlers the application registers; noop and echo are always there.</param>
    public static RunnerHost Create(WorkerSettings worker, IEnumerable<IJobHandler>? handlers = null)
    {
        var policy = Policy(worker);
        if (policy.Problems() is { Count: > 0 } problems)
            throw new InvalidOperationException("Worker shell policy is misconfigured: " + string.Join(" ", problems));
        var registry = HandlerRegistry.WithBuiltIns();
        foreach (var handler in handlers ?? [])
            registry.Register(handler);
        return new RunnerHost(
            new ShellRunner(policy, new ShellRunnerOptions { OutputLimitBytes = worker.OutputLimit }),
            new HttpRunner(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, worker.OutputLimit),
            new HandlerRunner(registry));
    }
}
