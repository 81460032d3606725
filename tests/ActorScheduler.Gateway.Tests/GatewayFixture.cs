using System.Text.Json;
using System.Net.Http.Headers;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Runners;
using Akka.Configuration;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// A real single-node engine on a fresh SQLite file, and the gateway in front of it on a free loopback port,
/// reached over a real socket. One per test class; tests use unique job ids so they do not see each other.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private string _directory = "";

    public EngineHost Engine { get; private set; } = null!;
    public GatewayServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;

    /// <summary>The token the gateway requires; none by default.</summary>
    protected virtual string? Token => null;

    public async Task InitializeAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "as-gateway-" + Guid.NewGuid().ToString("N"));
        var overrides = ConfigurationFactory.ParseString($$"""
            actor-scheduler.data-directory = "{{_directory.Replace("\\", "/")}}"
            actor-scheduler.worker.name = "test-worker"
            actor-scheduler.scheduler.wake.poll-interval = 1s
            akka.loglevel = WARNING
            """);
        Engine = await EngineHost.StartAsync(EngineConfig.Load(overrides), new TestRunner());
        Server = await GatewayServer.StartAsync(Engine.Jobs, Engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0, Token = Token });
        Api = new Api(new HttpClient { BaseAddress = Server.Url });
        if (Token is { } token)
            Api.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// A second gateway over the same engine, on a free loopback port and without a token unless
    /// <paramref name="change"/> says otherwise: for specs of the gateway's own settings. The caller disposes it.
    /// </summary>
    public Task<GatewayServer> StartGateway(Func<GatewaySettings, GatewaySettings> change) =>
        GatewayServer.StartAsync(Engine.Jobs, change(Engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0, Token = null }));

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection only leaves a stray temp directory behind.
        }
    }
}

/// <summary>The same engine, with the gateway requiring a bearer token.</summary>
public sealed class SecuredGatewayFixture : GatewayFixture
{
    public const string Secret = "correct-horse-battery-staple";

    protected override string? Token => Secret;
}

/// <summary>
/// Runs handler jobs by name: <c>noop</c> succeeds at once, <c>fail</c> fails, <c>block</c> runs until it is canceled, <c>talk</c>
/// prints a line and then runs until it is
/// canceled, <c>emit</c> emits <c>{"rows":42}</c> and succeeds, <c>last</c> answers the result the previous run passed on.
/// The gateway, not the runners, is under test.
/// </summary>
public sealed class TestRunner : IRunner
{
    public bool CanRun(RunSpec spec) => spec.Handler is not null;

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        switch (request.Run.Handler?.Name)
        {
            case "block":
                await Task.Delay(Timeout.Infinite, cancel).ContinueWith(_ => { }, TaskScheduler.Default);
                return RunResult.Canceled("canceled while blocking");
            case "fail":
                return RunResult.Failed("asked to fail", exitCode: 1);
            case "talk":
                // Says one line at once, then runs until canceled: its live output is readable while it runs.
                observer.Output("first line\n");
                await Task.Delay(Timeout.Infinite, cancel).ContinueWith(_ => { }, TaskScheduler.Default);
                return RunResult.Canceled("canceled while talking");
            case "emit":
                observer.Emit("gateway-spec-rows", JsonDocument.Parse("""{"rows":42}""").RootElement.Clone());
                return RunResult.Succeeded("emitted", exitCode: 0);
            case "last":
                return RunResult.Succeeded($"last={request.LastResult}", exitCode: 0);
            default:
                return RunResult.Succeeded($"ran {request.RunId}", exitCode: 0);
        }
    }
}
