using System.Text;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners;
using ActorScheduler.Runners.Deployed;
using ActorScheduler.Runners.Shell;

namespace ActorScheduler.Runners.Tests;

public sealed class ScriptCacheSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("as-script-cache-").FullName;
    private readonly List<string> _log = [];

    [Fact]
    public void Should_evict_the_least_recently_used_script_when_a_bound_is_reached()
    {
        var index = new ScriptCacheIndex(maxBytes: 100, maxEntries: 3);
        index.Add("a", 10);
        index.Add("b", 10);
        index.Add("c", 10);
        index.Touch("a");

        Assert.Equal(["b"], index.Add("d", 10));
        Assert.Equal(["c", "a"], index.Add("e", 90));
        Assert.Equal((2, 100L), (index.Count, index.Bytes));
    }

    [Fact]
    public void Should_keep_the_script_just_added_even_when_it_alone_is_over_the_byte_bound()
    {
        var index = new ScriptCacheIndex(maxBytes: 10, maxEntries: 5);
        index.Add("a", 5);

        Assert.Equal(["a"], index.Add("big", 50));
        Assert.True(index.Contains("big"));
    }

    [Fact]
    public void Should_evict_files_from_disk_and_log_it()
    {
        var cache = new ScriptCache(_directory, maxBytes: 1_000, maxEntries: 1, _log.Add);
        var (one, two) = (Bytes("one"), Bytes("two"));
        cache.Store(ScriptHash.Of(one), "one.sh", one);
        cache.Store(ScriptHash.Of(two), "two.sh", two);

        Assert.False(Directory.Exists(Path.Combine(_directory, ScriptHash.Of(one))));
        Assert.NotNull(cache.Find(ScriptHash.Of(two), "two.sh"));
        Assert.Contains(_log, line => line.Contains("evicted") && line.Contains(ScriptHash.Of(one)));
    }

    [Fact]
    public void Should_remove_a_cached_file_that_no_longer_matches_its_hash()
    {
        var cache = new ScriptCache(_directory, 1_000, 10, _log.Add);
        var content = Bytes("echo ok");
        var file = cache.Store(ScriptHash.Of(content), "ok.sh", content);
        File.WriteAllText(file, "echo tampered\n");

        Assert.Null(cache.Find(ScriptHash.Of(content), "ok.sh"));
        Assert.Contains(_log, line => line.Contains("no longer matches"));
    }

    [Fact]
    public async Task Should_run_a_fetched_script_once_it_matches_its_hash_and_then_from_the_cache()
    {
        var content = Bytes("echo \"deployed $1\"");
        var source = new Source(content);
        var runner = new DeployedScriptRunner(new RunnerHost(), new DeployedScripts(new ScriptCache(_directory, 1_000, 10, _log.Add), source, new ShellRunnerOptions()));
        var request = Request(new ScriptRunSpec { Path = "jobs/hi.sh", Sha256 = ScriptHash.Of(content), Args = ["twice"] });

        var first = await runner.RunAsync(request, NullRunObserver.Instance, CancellationToken.None);
        var second = await runner.RunAsync(request, NullRunObserver.Instance, CancellationToken.None);

        Assert.Equal((RunStatus.Succeeded, RunStatus.Succeeded), (first.Outcome, second.Outcome));
        Assert.Contains("deployed twice", second.Output);
        Assert.Equal(1, source.Fetches);
    }

    [Fact]
    public async Task Should_refuse_a_fetched_script_that_does_not_match_its_hash()
    {
        var runner = new DeployedScriptRunner(new RunnerHost(), new DeployedScripts(new ScriptCache(_directory, 1_000, 10, _log.Add), new Source(Bytes("echo evil")),
            new ShellRunnerOptions()));

        var result = await runner.RunAsync(Request(new ScriptRunSpec { Path = "hi.sh", Sha256 = ScriptHash.Of(Bytes("echo good")) }), NullRunObserver.Instance, CancellationToken.None);

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Contains("does not match", result.Error);
    }

    [Fact]
    public async Task Should_refuse_deployed_scripts_on_a_worker_that_does_not_allow_them()
    {
        var runner = new DeployedScriptRunner(new RunnerHost(), null);

        var result = await runner.RunAsync(Request(new ScriptRunSpec { Path = "hi.sh", Sha256 = ScriptHash.Of(Bytes("x")) }), NullRunObserver.Instance, CancellationToken.None);

        Assert.Contains("allow-deployed-scripts", result.Error);
    }

    private static byte[] Bytes(string body) => Encoding.UTF8.GetBytes($"#!/bin/sh\n{body}\n");

    private static RunRequest Request(ScriptRunSpec script) =>
        new(JobId.Parse("deployed"), new RunId(JobId.Parse("deployed"), 1), 1, 1, DateTimeOffset.UnixEpoch, new RunSpec { Script = script }, TimeSpan.FromMinutes(1), null);

    private sealed class Source(byte[] content) : IDeployedScriptSource
    {
        public int Fetches { get; private set; }

        public Task<byte[]?> FetchAsync(string sha256, CancellationToken cancel)
        {
            Fetches++;
            return Task.FromResult<byte[]?>(content);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
