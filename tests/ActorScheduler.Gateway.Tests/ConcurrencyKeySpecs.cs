using System.Net;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Runners.Shell;
using Akka.Configuration;

namespace ActorScheduler.Gateway.Tests;

/// <summary>A real node whose worker runs shell commands (any command: the specs' own), with the gateway in front on a free loopback port.</summary>
public sealed class ShellGatewayFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "as-concurrency-" + Guid.NewGuid().ToString("N"));
    private EngineHost _engine = null!;
    private GatewayServer _server = null!;

    public Api Api { get; private set; } = null!;

    /// <summary>Where the specs' shell runs write what they did.</summary>
    public string Files => Path.Combine(_directory, "files");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Files);
        var overrides = ConfigurationFactory.ParseString($$"""
            actor-scheduler.data-directory = "{{_directory.Replace("\\", "/")}}"
            actor-scheduler.worker.name = "test-worker"
            akka.loglevel = WARNING
            """);
        _engine = await EngineHost.StartAsync(EngineConfig.Load(overrides), new ShellRunner(new ShellPolicy { AllowAnyCommand = true }));
        _server = await GatewayServer.StartAsync(_engine.Jobs, _engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0, Token = null });
        Api = new Api(new HttpClient { BaseAddress = _server.Url });
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await _server.DisposeAsync();
        await _engine.DisposeAsync();
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

/// <summary>
/// Concurrency keys over a real socket, with real shell runs: jobs sharing a key with limit 1, triggered at once,
/// run one after the other in the order they were triggered; the others stay pending meanwhile, and one canceled
/// while it waits never runs. Each run first waits for a gate file the spec creates, so the runs are all asked for
/// while the first one holds the permit; each writes its start and stop instants to its own file.
/// </summary>
public sealed class ConcurrencyKeySpecs(ShellGatewayFixture fixture) : IClassFixture<ShellGatewayFixture>
{
    private Api Api => fixture.Api;

    /// <summary>A job of <paramref name="key"/> (limit 1) whose run waits for <paramref name="gate"/>, then writes "start stop" nanoseconds to its file.</summary>
    private async Task<string> KeyedJob(string key, string gate)
    {
        var id = Api.NewId("conc");
        var file = Path.Combine(fixture.Files, id);
        var script = $"while [ ! -e '{gate}' ]; do sleep 0.05; done; s=$(date +%s%N); sleep 0.3; echo \"$s $(date +%s%N)\" > '{file}'";
        var body = $$"""
            { "id": "{{id}}", "run": { "shell": { "command": ["sh", "-c", {{System.Text.Json.JsonSerializer.Serialize(script)}}] } },
              "concurrency": { "key": "{{key}}", "limit": 1 } }
            """;
        await Api.Expect<JobView>(await Api.Post("/api/v1/jobs", body), HttpStatusCode.Created);
        return id;
    }

    private async Task<string> Trigger(string id) =>
        (await Api.Expect<TriggerAccepted>(await Api.Post($"/api/v1/jobs/{id}/trigger", "{}"), HttpStatusCode.Accepted)).RunId;

    private async Task<RunView> Run(string runId) => await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{runId}"), HttpStatusCode.OK);

    private Task<RunView> RunUntil(string runId, Func<RunView, bool> condition, string what) => Api.Eventually(() => Run(runId), condition, what, seconds: 90);

    private (long Start, long Stop) Interval(string job)
    {
        var parts = File.ReadAllText(Path.Combine(fixture.Files, job)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (long.Parse(parts[0]), long.Parse(parts[1]));
    }

    [Fact]
    public async Task Should_run_jobs_sharing_a_key_one_at_a_time_in_the_order_they_were_triggered_when_the_limit_is_one()
    {
        var (key, gate) = ("customer-" + Guid.NewGuid().ToString("N"), Path.Combine(fixture.Files, Guid.NewGuid().ToString("N")));
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
            jobs.Add(await KeyedJob(key, gate));
        var runs = new List<string>();
        foreach (var job in jobs)
            runs.Add(await Trigger(job));

        await RunUntil(runs[0], r => r.Status == RunStatus.Running, "the first run to hold the permit and run");
        Assert.Equal([RunStatus.Pending, RunStatus.Pending], [(await Run(runs[1])).Status, (await Run(runs[2])).Status]);
        await File.WriteAllTextAsync(gate, "");

        foreach (var run in runs)
            Assert.Equal(RunStatus.Succeeded, (await RunUntil(run, r => r.Status.IsFinished(), $"run {run} to finish")).Status);
        var intervals = jobs.Select(Interval).ToList();
        for (var i = 1; i < intervals.Count; i++)
            Assert.True(intervals[i - 1].Stop <= intervals[i].Start,
                $"run {i + 1} started ({intervals[i].Start}) before run {i} stopped ({intervals[i - 1].Stop}): two runs of a key limited to 1 overlapped, or they ran out of the order they were triggered");
        var metrics = await (await Api.Get("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches("actorscheduler_concurrency_freed_total\\{[^}]*why=\"ended\"", metrics); // the first two were freed before the next started
        Assert.Contains("actorscheduler_concurrency_waiting", metrics);
    }

    [Fact]
    public async Task Should_cancel_a_run_waiting_for_a_permit_and_run_the_next_one_in_its_place()
    {
        var (key, gate) = ("customer-" + Guid.NewGuid().ToString("N"), Path.Combine(fixture.Files, Guid.NewGuid().ToString("N")));
        var (first, waiting, next) = (await KeyedJob(key, gate), await KeyedJob(key, gate), await KeyedJob(key, gate));
        var firstRun = await Trigger(first);
        var waitingRun = await Trigger(waiting);
        var nextRun = await Trigger(next);
        await RunUntil(firstRun, r => r.Status == RunStatus.Running, "the first run to run");

        await Api.Expect<RunView>(await Api.Post($"/api/v1/runs/{waitingRun}/cancel"), HttpStatusCode.OK);
        Assert.Equal(RunStatus.Canceled, (await RunUntil(waitingRun, r => r.Status.IsFinished(), "the waiting run to end")).Status);
        await File.WriteAllTextAsync(gate, "");

        Assert.Equal(RunStatus.Succeeded, (await RunUntil(nextRun, r => r.Status.IsFinished(), "the run after the canceled one to run")).Status);
        Assert.False(File.Exists(Path.Combine(fixture.Files, waiting)), "the canceled run never started");
        Assert.True(Interval(first).Stop <= Interval(next).Start, "the next run started only once the first one stopped");
    }
}
