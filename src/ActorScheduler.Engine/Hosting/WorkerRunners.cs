using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Security;
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

    public static HttpDestinationPolicy Destinations(WorkerSettings worker) => new()
    {
        AllowLoopback = worker.Http.AllowLoopback,
        AllowPrivateNetworks = worker.Http.AllowPrivateNetworks,
        AllowedNetworks = worker.Http.AllowedNetworks.ToList(),
    };

    /// <param name="handlers">In-process handlers the application registers; noop and echo are always there.</param>
    /// <exception cref="InvalidOperationException">The worker's shell policy or HTTP destinations are misconfigured (the message says how).</exception>
    /// <param name="scriptApi">What each shell run is told of the script API (<see cref="ScriptApiFor"/>); null: nothing.</param>
    public static RunnerHost Create(WorkerSettings worker, IEnumerable<IJobHandler>? handlers = null, ScriptApi? scriptApi = null)
    {
        var policy = Policy(worker);
        if (policy.Problems() is { Count: > 0 } problems)
            throw new InvalidOperationException("actor-scheduler.worker.shell is misconfigured: " + string.Join(" ", problems));
        var destinations = Destinations(worker);
        if (destinations.Problems() is { Count: > 0 } httpProblems)
            throw new InvalidOperationException("actor-scheduler.worker.http.allowed-networks is misconfigured: " + string.Join(" ", httpProblems));
        var registry = HandlerRegistry.WithBuiltIns();
        foreach (var handler in handlers ?? [])
            registry.Register(handler);
        return new RunnerHost(
            new ShellRunner(policy, new ShellRunnerOptions { OutputLimitBytes = worker.OutputLimit, PassEnvironment = worker.PassEnvironment.ToList(), ScriptApi = scriptApi }),
            new HttpRunner(destinations, new HttpRunnerOptions
            {
                OutputLimitBytes = worker.OutputLimit,
                DefaultTimeout = worker.Http.DefaultTimeout,
                MaxRedirects = worker.Http.MaxRedirects,
                MaxResponseBytes = worker.Http.MaxResponseBytes,
            }),
            new HandlerRunner(registry));
    }

    /// <summary>
    /// The script API a worker tells its runs of: <c>actor-scheduler.worker.api-url</c>, or this node's own gateway
    /// (a wildcard listen address reached on loopback), with run tokens signed for this cluster (<see cref="RunTokens"/>);
    /// null on a worker that has neither.
    /// </summary>
    public static ScriptApi? ScriptApiFor(EngineSettings settings)
    {
        var url = settings.Worker.ApiUrl is { Length: > 0 } configured ? configured.TrimEnd('/')
            : settings.Has(NodeRoles.Gateway) ? $"http://{LocalHost(settings.Gateway.Host)}:{settings.Gateway.Port}"
            : null;
        if (url is null)
            return null;
        var tokens = RunTokens.For(settings.Gateway.Token);
        var worker = settings.Worker.Name;
        return new ScriptApi(url, request => tokens.Issue(request.RunId, request.FencingToken, worker));
    }

    private static string LocalHost(string host) =>
        host is "0.0.0.0" or "*" or "+" ? "127.0.0.1" : host is "::" ? "[::1]" : host.Contains(':') ? $"[{host}]" : host;
}
