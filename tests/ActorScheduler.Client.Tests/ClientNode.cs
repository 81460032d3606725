using System.Net;
using System.Net.Sockets;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.ClientApi;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Runners.Handlers;
using Akka.Configuration;

namespace ActorScheduler.Client.Tests;

/// <summary>
/// A whole engine node in this process (temporary SQLite directory) with the client service started on it, its
/// remoting on a real loopback port so that clients can contact it.
/// </summary>
public sealed class ClientNode : IAsyncDisposable
{
    public const string WorkerName = "client-test-worker";

    public required EngineHost Host { get; init; }
    public required int Port { get; init; }

    /// <summary>The node's cluster address: what a client lists as a contact point.</summary>
    public string Address => $"akka.tcp://{EngineHost.SystemName}@127.0.0.1:{Port}";

    /// <param name="roles">Engine roles; the default is the all-in-one node.</param>
    /// <param name="seed">A node to join; none forms a cluster of its own.</param>
    /// <param name="workerName">The worker's name, when the node has the worker role.</param>
    public static async Task<ClientNode> StartAsync(
        string roles = "[scheduler, worker, gateway]", ClientNode? seed = null, string extraHocon = "", string workerName = WorkerName)
    {
        var port = FreePort();
        var directory = Path.Combine(Path.GetTempPath(), "as-client-" + Guid.NewGuid().ToString("N"));
        var seeds = seed is null ? "[]" : $"[\"{seed.Address}\"]";
        var overrides = ConfigurationFactory.ParseString($$"""
            actor-scheduler.data-directory = "{{directory.Replace("\\", "/")}}"
            actor-scheduler.roles = {{roles}}
            actor-scheduler.worker.name = "{{workerName}}"
            actor-scheduler.scheduler.wake.poll-interval = 1s
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp.port = {{port}}
            akka.cluster.seed-nodes = {{seeds}}
            {{extraHocon}}
            """).WithFallback(ClientService.Hocon);
        var config = EngineConfig.Load(overrides);
        var runners = WorkerRunners.Create(EngineSettings.From(config).Worker, [new FailingHandler(), new FailingOnceHandler()]);
        var host = await EngineHost.StartAsync(config, runners);
        // Gateway and scheduler nodes start the client service themselves; the failover spec also uses a worker-only
        // node as a second contact point (two SQLite schedulers cannot share one journal), so it gets one here.
        if (!host.Settings.Has("gateway") && !host.Settings.Has("scheduler"))
            ClientService.Start(host.System, host.Jobs, host.Settings.Gateway.Token);
        return new ClientNode { Host = host, Port = port };
    }

    public ActorSchedulerClient Client(Func<ActorSchedulerClientOptions, ActorSchedulerClientOptions>? adjust = null)
    {
        var options = new ActorSchedulerClientOptions { ContactPoints = [Address] };
        return new ActorSchedulerClient(adjust?.Invoke(options) ?? options);
    }

    /// <summary>A loopback port nothing listens on (now): a node's port, or a dead contact point.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Handler <c>fail</c>: every attempt fails with "boom".</summary>
public sealed class FailingHandler : IJobHandler
{
    public string Name => "fail";

    public Task<HandlerOutcome> RunAsync(HandlerContext context, CancellationToken cancel) =>
        Task.FromResult(HandlerOutcome.Failure("boom", "about to fail"));
}

/// <summary>Handler <c>fail-once</c>: the first attempt of a run fails, a retry succeeds.</summary>
public sealed class FailingOnceHandler : IJobHandler
{
    public string Name => "fail-once";

    public Task<HandlerOutcome> RunAsync(HandlerContext context, CancellationToken cancel) =>
        Task.FromResult(context.Request.Attempt == 1
            ? HandlerOutcome.Failure("first attempt fails")
            : HandlerOutcome.Success($"attempt {context.Request.Attempt} succeeded"));
}

/// <summary>Definitions the specs use, written as the API's JSON.</summary>
public static class Definitions
{
    public static JobDefinition Parse(string json) => CoreJson.Deserialize<JobDefinition>(json);

    public static JobDefinition OnDemand(string id, string handler = "echo", string extra = "") =>
        Parse($$"""{ "id": "{{id}}", "run": { "handler": { "name": "{{handler}}" } } {{extra}} }""");

    public static JobDefinition EverySecond(string id) =>
        Parse($$"""{ "id": "{{id}}", "schedule": { "every": { "seconds": 1 } }, "run": { "handler": { "name": "noop" } } }""");

    public static JobDefinition Nightly(string id) =>
        Parse($$"""{ "id": "{{id}}", "schedule": { "cron": "0 30 2 * * *" }, "run": { "handler": { "name": "noop" } } }""");
}

/// <summary>Polls until a condition holds, failing with what was awaited after a generous bound (never a timing assertion).</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Exception? lastError = null;
        var last = default(T);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                if (condition(last))
                    return last;
            }
            catch (Exception e) when (e is SchedulerUnavailableException or ActorSchedulerException)
            {
                lastError = e;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last seen: {last}; last error: {lastError?.Message}");
    }
}
