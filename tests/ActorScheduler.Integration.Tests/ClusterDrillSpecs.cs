using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ActorScheduler.Integration.Tests;

/// <summary>The drills run one at a time: each starts a cluster of seven processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterDrills
{
    public const string Name = "cluster drills";
}

/// <summary>
/// Failover and scale, each on its own cluster of real processes (<see cref="ClusterTopology"/> on loopback
/// ports, PostgreSQL): kill -9 a scheduler, kill -9 a worker mid-run, add a worker, stop everything and start
/// again. The time bounds in the waits are generous ceilings for slow machines, not goals; the measured
/// failover times are written to the test output.
/// </summary>
[Collection(ClusterDrills.Name)]
public sealed class ClusterDrillSpecs(ITestOutputHelper output)
{
    private static JsonArray Items(JsonNode page) => page["items"]!.AsArray();

    private static string Str(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    private static DateTimeOffset Time(JsonNode? node, string name) => DateTimeOffset.Parse(Str(node, name));

    private static JsonArray Items2(JsonNode node, string name) => node[name]!.AsArray();

    /// <summary>The cluster port of the node whose shard region holds <paramref name="job"/>'s shard (0: none yet).</summary>
    private static int HostOf(JsonNode sharding, string job)
    {
        var shard = ActorScheduler.Engine.Jobs.JobSharding.ShardOf(ActorScheduler.Core.JobId.Parse(job), 100).ToString();
        var region = Items2(sharding, "regions").FirstOrDefault(r => Items2(r!, "shardList").Any(s => Str(s, "id") == shard));
        return region is null ? 0 : new Uri(Str(region, "address").Replace("akka.tcp://", "tcp://")).Port;
    }

    private static async Task Create(LocalCluster cluster, string json)
    {
        var response = await cluster.PostJson("/api/v1/jobs", json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /jobs → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Should_move_a_killed_schedulers_jobs_to_the_survivor_and_keep_firing_without_running_an_occurrence_twice()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var jobs = Enumerable.Range(1, 6).Select(i => $"tick-{i}").ToList();
        foreach (var job in jobs)
            await Create(cluster, $$"""
                { "id": "{{job}}", "schedule": { "every": { "seconds": 1 } }, "overlap": "skip", "misfire": { "policy": "skip" },
                  "worker": "workers", "run": { "shell": { "command": ["sh", "-c", "sleep 1.5; echo tick"] } } }
                """);
        foreach (var job in jobs)
            await cluster.Eventually($"/api/v1/jobs/{job}/runs", r => Items(r).Count(run => Str(run, "status") == "succeeded") >= 2, $"{job} firing");

        // The victim: the scheduler node holding most of the jobs' shards (as the cluster reports it).
        var sharding = await cluster.Eventually("/api/v1/cluster/sharding",
            s => Items2(s, "regions").Count == 2, "both schedulers to hold a shard region");
        var placed = jobs.ToDictionary(job => job, job => HostOf(sharding, job));
        var victim = placed.Values.Where(port => port > 0).GroupBy(port => port).OrderByDescending(g => g.Count()).First().Key;
        var victimName = cluster.NameOfPort(victim);
        var onVictim = placed.Where(p => p.Value == victim).Select(p => p.Key).ToList();
        output.WriteLine($"{victimName} holds {string.Join(", ", onVictim)}");

        var killedAt = DateTimeOffset.UtcNow;
        cluster[victimName].Kill();

        // Every job fires again after the kill: those of the survivor at once, those of the killed node once
        // their shards have moved (the killed node is downed by the split-brain resolver first).
        var failover = new Dictionary<string, TimeSpan>();
        foreach (var job in jobs)
        {
            var runs = await cluster.Eventually($"/api/v1/jobs/{job}/runs",
                r => Items(r).Any(run => Str(run, "status") == "succeeded" && Time(run, "startedAt") > killedAt.AddSeconds(2)),
                $"{job} firing after {victimName} was killed");
            var firstAfter = Items(runs).Where(run => run!["startedAt"] is not null && Time(run, "startedAt") > killedAt)
                .Min(run => Time(run, "startedAt"));
            failover[job] = firstAfter - killedAt;
        }
        output.WriteLine($"kill -9 {victimName} at {killedAt:O}; first start after the kill per job: " +
            string.Join(", ", failover.Select(f => $"{f.Key} {f.Value.TotalSeconds:0.0} s")));

        // A few more seconds of firing on the survivor, then the checks over everything that ran.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var woken = new List<DateTimeOffset>();
        foreach (var job in jobs)
            woken.AddRange(await AssertRanOnceWithoutOverlap(cluster, job, onVictim.Contains(job) ? killedAt : null));
        output.WriteLine($"failover (kill → first start of a job that was on {victimName}): max {onVictim.Max(j => failover[j]).TotalSeconds:0.0} s");

        // Where the time went, from the survivors' logs and the moved jobs' histories; printed, never asserted (a loaded
        // machine may be slower; docs/CLUSTER.md keeps the measured spread).
        var survivors = cluster.Processes.Where(p => p.Name != victimName).ToList();
        output.WriteLine(FailoverTimeline.Describe(victimName, victim, killedAt, survivors, woken.Min(), killedAt + onVictim.Min(j => failover[j])));
        // A healthy member the split-brain resolver downed would have exited (code 1): the kill must cost only the victim.
        Assert.All(survivors, p => Assert.True(p.Running, $"{p.Name} stopped (exit code {p.ExitCode}) after {victimName} was killed:\n{p.Console}"));
    }

    /// <summary>
    /// No occurrence of <paramref name="job"/> ran twice and no two of its runs overlapped (overlap: skip). For a job
    /// that was on the killed node (<paramref name="movedAt"/>: the kill), the occurrences missed during the outage
    /// were skipped per its misfire policy and said so in its history; answers when (its first decisions on the survivor).
    /// </summary>
    private static async Task<IEnumerable<DateTimeOffset>> AssertRanOnceWithoutOverlap(LocalCluster cluster, string job, DateTimeOffset? movedAt)
    {
        var runs = Items(await cluster.Eventually($"/api/v1/jobs/{job}/runs", _ => true, $"{job} runs")).Select(r => r!).ToList();
        var scheduled = runs.Where(r => Str(r, "trigger") == "schedule").Select(r => Str(r, "scheduledFor")).ToList();
        Assert.True(scheduled.Count == scheduled.Distinct().Count(), $"{job}: an occurrence ran twice: {string.Join(", ", scheduled)}");
        var spans = runs.Where(r => r["startedAt"] is not null && r["finishedAt"] is not null)
            .Select(r => (Start: Time(r, "startedAt"), End: Time(r, "finishedAt"))).OrderBy(s => s.Start).ToList();
        for (var i = 1; i < spans.Count; i++)
            Assert.True(spans[i].Start >= spans[i - 1].End, $"{job}: runs overlapped ({spans[i - 1]} and {spans[i]})");
        if (movedAt is not { } killedAt)
            return [];
        var history = await cluster.Eventually($"/api/v1/jobs/{job}/history", _ => true, $"{job} history");
        var skipped = Items(history).Where(e => Str(e, "type") == "runs-skipped" && Str(e!["data"], "reason").Contains("misfire") &&
                                                Time(e, "at") > killedAt).ToList();
        Assert.True(skipped.Count > 0, $"{job}: no misfire recorded after the kill: {history.ToJsonString()}");
        return skipped.Select(e => Time(e, "at"));
    }

    [Fact]
    public async Task Should_mark_a_run_lost_when_its_worker_is_killed_and_retry_it_on_another_worker()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await Create(cluster, """
            { "id": "long-report", "worker": "workers", "retry": { "maxAttempts": 2, "delay": "PT1S" },
              "run": { "shell": { "command": ["sh", "-c", "if [ \"$SCHEDULER_ATTEMPT\" = 1 ]; then sleep 300; fi; echo attempt $SCHEDULER_ATTEMPT"] } } }
            """);
        var trigger = await cluster.PostJson("/api/v1/jobs/long-report/trigger", "{}");
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var runId = Str(JsonNode.Parse(await trigger.Content.ReadAsStringAsync()), "runId");

        var running = await cluster.Eventually($"/api/v1/runs/{runId}", r => Str(r, "status") == "running" && Str(r, "worker") != "", "the run to start");
        var victim = Str(running, "worker");
        var killedAt = DateTimeOffset.UtcNow;
        cluster[victim].Kill();

        var lost = await cluster.Eventually($"/api/v1/runs/{runId}", r => Str(r, "status") == "lost", $"run {runId} marked lost");
        var runs = await cluster.Eventually("/api/v1/jobs/long-report/runs",
            r => Items(r).Any(run => run!["attempt"]!.GetValue<int>() == 2 && Str(run, "status") == "succeeded"), "the retry to succeed");
        var retry = Items(runs).Single(run => run!["attempt"]!.GetValue<int>() == 2)!;
        Assert.NotEqual(victim, Str(retry, "worker"));
        Assert.StartsWith("worker-", Str(retry, "worker"));
        Assert.Contains("attempt 2", Str(retry, "output"));
        Assert.Equal("retry", Str(retry, "trigger"));
        output.WriteLine($"kill -9 {victim} at {killedAt:O}; run marked lost at {Str(lost, "finishedAt")}; retry started on " +
            $"{Str(retry, "worker")} at {Str(retry, "startedAt")} ({(Time(retry, "startedAt") - killedAt).TotalSeconds:0.0} s after the kill)");
    }

    [Fact]
    public async Task Should_give_work_to_a_worker_started_later()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var third = await cluster.AddWorkerAsync();
        await Create(cluster, """
            { "id": "fan-out", "worker": "workers", "overlap": "allow",
              "run": { "shell": { "command": ["sh", "-c", "sleep 2; echo done"] } } }
            """);
        for (var i = 0; i < 9; i++)
        {
            var trigger = await cluster.PostJson("/api/v1/jobs/fan-out/trigger", "{}");
            Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        }

        var runs = await cluster.Eventually("/api/v1/jobs/fan-out/runs",
            r => Items(r).Count(run => Str(run, "status") == "succeeded") == 9, "nine runs to succeed");
        var byWorker = Items(runs).GroupBy(run => Str(run, "worker")).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("runs per worker: " + string.Join(", ", byWorker.Select(w => $"{w.Key} {w.Value}")));
        Assert.True(byWorker.GetValueOrDefault(third.Name) > 0, $"{third.Name} got no work: {string.Join(", ", byWorker)}");
        Assert.Equal(3, byWorker.Count);
    }

    [Fact]
    public async Task Should_finish_and_record_a_run_in_flight_when_its_worker_is_stopped_gracefully()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await Create(cluster, """
            { "id": "drain-me", "worker": "workers", "overlap": "allow",
              "run": { "shell": { "command": ["sh", "-c", "sleep 4; echo finished on $SCHEDULER_ATTEMPT"] } } }
            """);
        var trigger = await cluster.PostJson("/api/v1/jobs/drain-me/trigger", "{}");
        var runId = Str(JsonNode.Parse(await trigger.Content.ReadAsStringAsync()), "runId");
        var running = await cluster.Eventually($"/api/v1/runs/{runId}", r => Str(r, "status") == "running" && Str(r, "worker") != "", "the run to start");
        var stopping = Str(running, "worker");

        // SIGTERM: the worker refuses new runs, lets this one finish and be recorded, then leaves.
        var stop = cluster[stopping].StopAsync();
        var finished = await cluster.Eventually($"/api/v1/runs/{runId}", r => Str(r, "status") is not ("running" or "pending"), "the run to finish");
        await stop;
        Assert.Equal("succeeded", Str(finished, "status"));
        Assert.Equal(stopping, Str(finished, "worker"));
        Assert.Contains("finished on 1", Str(finished, "output"));

        // Afterwards the remaining worker takes the work.
        var next = await cluster.PostJson("/api/v1/jobs/drain-me/trigger", "{}");
        var nextRun = Str(JsonNode.Parse(await next.Content.ReadAsStringAsync()), "runId");
        var ran = await cluster.Eventually($"/api/v1/runs/{nextRun}", r => Str(r, "status") == "succeeded", "a run after the stop");
        Assert.NotEqual(stopping, Str(ran, "worker"));
        output.WriteLine($"{stopping} stopped gracefully with run {runId} in flight; it finished there ({Str(finished, "finishedAt")}); the next run went to {Str(ran, "worker")}");
    }

    [Fact]
    public async Task Should_resume_every_job_after_the_whole_cluster_was_stopped_and_recover_missed_runs_per_policy()
    {
        await using var cluster = await LocalCluster.StartAsync();
        // overlap: allow — a run still pending at the power cut is sent again after the restart, and the default
        // (skip) would then skip the catch-up run this drill is about.
        foreach (var policy in new[] { "skip", "fireOnce" })
            await Create(cluster, $$"""
                { "id": "every2-{{policy}}", "schedule": { "every": { "seconds": 2 } }, "misfire": { "policy": "{{policy}}" },
                  "overlap": "allow", "worker": "workers", "run": { "handler": { "name": "noop" } } }
                """);
        foreach (var policy in new[] { "skip", "fireOnce" })
            await cluster.Eventually($"/api/v1/jobs/every2-{policy}/runs",
                r => Items(r).Any(run => Str(run, "status") == "succeeded"), $"a first run of every2-{policy}");

        // Power cut: every process at once, no leaving, no flush.
        foreach (var process in cluster.Processes)
            process.Kill();
        var stoppedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(9));
        await cluster.RestartAllAsync();

        var skip = await cluster.Eventually("/api/v1/jobs/every2-skip/history",
            h => Items(h).Any(e => Str(e, "type") == "runs-skipped" && Str(e!["data"], "reason").Contains("misfire: skipped by policy")),
            "the skip policy's record of the missed occurrences");
        var fireOnce = await cluster.Eventually("/api/v1/jobs/every2-fireOnce/runs",
            r => Items(r).Any(run => Str(run, "trigger") == "catchUp" && Str(run, "status") == "succeeded"), "one catch-up run (fireOnce)");
        foreach (var policy in new[] { "skip", "fireOnce" })
        {
            var resumed = await cluster.Eventually($"/api/v1/jobs/every2-{policy}/runs",
                r => Items(r).Any(run => Str(run, "trigger") == "schedule" && Str(run, "status") == "succeeded" &&
                                         Time(run, "scheduledFor") > stoppedAt.AddSeconds(9)), $"every2-{policy} firing on schedule again");
            // Only started runs: a later occurrence may already be dispatched and not yet started (no startedAt).
            var first = Items(resumed).Where(run => Str(run, "trigger") == "schedule" && Str(run, "startedAt") != "" &&
                                                    Time(run, "scheduledFor") > stoppedAt.AddSeconds(9))
                .Min(run => Time(run, "startedAt"));
            output.WriteLine($"every2-{policy}: first scheduled run after the restart started {(first - stoppedAt).TotalSeconds:0.0} s after the stop");
        }

        Assert.Equal(1, Items(fireOnce).Count(run => Str(run, "trigger") == "catchUp"));
        Assert.DoesNotContain(Items(skip), e => Str(e, "type") == "run-dispatched" && Str(e!["data"], "trigger") == "catchUp");
    }
}

/// <summary>
/// The steps of a fail-over as the survivors logged them (Akka's and the engine's own log lines, each stamped with
/// its UTC time): when the killed node was marked unreachable, downed by the split-brain resolver, removed, and when
/// a surviving scheduler learned of the removal; plus when the moved jobs were first woken and first ran again, and
/// how late the healthy members' heartbeats came (the margin docs/CLUSTER.md argues from).
/// </summary>
internal static class FailoverTimeline
{
    private static readonly Regex Stamp = new(@"^\[\w+\]\[(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\.\d+)Z\]", RegexOptions.Compiled);

    // Akka warns of a heartbeat sent two intervals late, and of one that arrived two thirds of the acceptable pause late.
    private static readonly Regex LateHeartbeat = new(
        @"Previous heartbeat was sent \[([\d.]+)\] ms ago|heartbeat interval is growing too large for address .*: ([\d.]+) millis", RegexOptions.Compiled);

    public static string Describe(string victimName, int victimPort, DateTimeOffset killedAt, IEnumerable<ClusterProcess> survivors,
        DateTimeOffset woken, DateTimeOffset firstRun)
    {
        var lines = survivors.SelectMany(p => p.Console.Split('\n')).ToList();
        var victim = new Regex($@"127\.0\.0\.1:{victimPort}(?!\d)");
        string When(string marker)
        {
            var times = lines.Where(l => l.Contains(marker) && victim.IsMatch(l)).Select(At).Where(at => at > killedAt).ToList();
            return times.Count > 0 ? $"{(times.Min() - killedAt).TotalSeconds:0.0}" : "?";
        }
        var late = lines.Select(l => LateHeartbeat.Match(l)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        var healthyUnreachable = lines.Count(l => l.Contains("Marking node(s) as UNREACHABLE") && !victim.IsMatch(l));
        // The shard coordinator is a singleton on the oldest scheduler: if the victim held it, it starts anew first.
        var coordinator = lines.Any(l => l.Contains("jobCoordinator] Singleton manager started") && At(l) > killedAt) ? "moved" : "stayed";
        return $"timeline (s after kill -9 of {victimName}): unreachable {When("Marking node(s) as UNREACHABLE")}, " +
               $"downed {When("SBR is downing")}, removed {When("Leader is removing")}, " +
               $"survivor told {When("is gone; waking its due jobs again")}, shard coordinator {coordinator}, " +
               $"moved jobs woken {(woken - killedAt).TotalSeconds:0.0}, " +
               $"first moved run {(firstRun - killedAt).TotalSeconds:0.0}; late heartbeats: {late.Count} " +
               $"(longest gap {(late.Count > 0 ? late.Max() : 0):0} ms), healthy members marked unreachable: {healthyUnreachable}";
    }

    private static DateTimeOffset At(string line) =>
        Stamp.Match(line) is { Success: true } match
            ? new DateTimeOffset(DateTime.ParseExact(match.Groups[1].Value, "MM/dd/yyyy HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), TimeSpan.Zero)
            : default;
}
