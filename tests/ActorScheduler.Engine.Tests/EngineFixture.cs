using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Runners;
using Akka.Configuration;

namespace ActorScheduler.Engine.Tests;

/// <summary>A whole single-node engine on a fresh SQLite file in a temporary directory.</summary>
public sealed class EngineFixture : IAsyncDisposable
{
    public required EngineHost Host { get; init; }
    public required string Directory { get; init; }

    public JobService Jobs => Host.Jobs;

    public static async Task<EngineFixture> StartAsync(IRunner runner, string? directory = null, string extraHocon = "")
    {
        directory ??= Path.Combine(Path.GetTempPath(), "as-engine-" + Guid.NewGuid().ToString("N"));
        var overrides = ConfigurationFactory.ParseString($$"""
            actor-scheduler.data-directory = "{{directory.Replace("\\", "/")}}"
            actor-scheduler.worker.name = "test-worker"
            actor-scheduler.scheduler.wake.poll-interval = 1s
            akka.loglevel = WARNING
            {{extraHocon}}
            """);
        var host = await EngineHost.StartAsync(EngineConfig.Load(overrides), runner);
        return new EngineFixture { Host = host, Directory = directory };
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after a generous bound.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, Func<T, bool> condition, string what, int seconds = 60)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (last is not null && condition(last))
                return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last seen: {last}");
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>A runner that succeeds at once and counts its runs (the engine, not the runners, is under test).</summary>
public sealed class CountingRunner : IRunner
{
    private int _runs;

    public int Runs => _runs;

    public bool CanRun(ActorScheduler.Core.Definitions.RunSpec spec) => true;

    public Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(new RunResult(RunStatus.Succeeded, 0, $"ran {request.RunId}", null));
    }
}
