using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// Every palette of schedctl against a real cluster of processes, through the command hosts of the gateway, a
/// scheduler, a worker and the lighthouse.
/// </summary>
[Collection(ClusterDrills.Name)]
public sealed partial class CliClusterSpecs(CliCluster fixture) : IClassFixture<CliCluster>
{
    private LocalCluster Cluster => fixture.Cluster;

    private async Task<SchedctlResult> Ok(params string[] arguments)
    {
        var result = await Schedctl.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"schedctl {string.Join(' ', arguments)}: {result}\n{Stopped()}");
        return result;
    }

    /// <summary>The end of the console of every process that is no longer running (why a command host went away).</summary>
    private string Stopped() => string.Join("\n", Cluster.Processes.Where(p => !p.Running)
        .Select(p => $"===== {p.Name} exited {p.ExitCode}\n" + string.Join('\n', p.Console.Split('\n').TakeLast(30))));

    /// <summary>The data of each answer (--json prints one JSON document per line).</summary>
    private async Task<List<JsonNode>> Json(params string[] arguments)
    {
        var result = await Ok([.. arguments, "--json"]);
        return result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
    }

    private int RunningMembers => Cluster.Processes.Count(p => p.Running);

    [Fact]
    public async Task Should_show_one_line_per_member_and_the_count_from_any_node_and_the_lighthouse()
    {
        foreach (var process in new[] { "gateway", "lighthouse", "scheduler-1", "worker-1" })
        {
            var shown = await Ok(fixture.Host(process), "cluster", "show");

            var lines = shown.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
            Assert.Contains($"Count: {RunningMembers} nodes", lines);
            Assert.Equal(RunningMembers, lines.Count(l => l.Contains(" | ") && l.Contains("Up") && l.Contains("Reachable")));
            Assert.Contains(lines, l => l.Contains("lighthouse"));
        }
    }

    [Fact]
    public async Task Should_answer_status_leader_and_unreachable()
    {
        var status = (await Json(fixture.Host("scheduler-1"), "cluster", "status")).Single();
        var leader = (await Json(fixture.Host("gateway"), "cluster", "leader")).Single();
        var schedulerLeader = (await Json(fixture.Host("gateway"), "cluster", "leader", "-r", "scheduler")).Single();
        var unreachable = await Ok(fixture.Host("gateway"), "cluster", "unreachable");
        var noRole = await Schedctl.RunAsync(fixture.Host("gateway"), "cluster", "leader", "-r", "nobody-has-this");

        Assert.Equal("Up", status["status"]!.GetValue<string>());
        Assert.Equal(status["leader"]!.GetValue<string>(), leader["leader"]!.GetValue<string>());
        Assert.Contains(schedulerLeader["leader"]!.GetValue<string>(), Cluster["scheduler-1"].Console + Cluster["scheduler-2"].Console);
        Assert.Contains("Count: 0 unreachable", unreachable.Out);
        Assert.True(noRole.ExitCode == 1, noRole.ToString());
    }

    [Fact]
    public async Task Should_create_a_job_from_yaml_and_steer_it_with_every_jobs_command()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cli-job-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            id: cli-report
            schedule:
              every: { hours: 1 }
            run:
              shell:
                command: [sh, -c, "echo report for $SCHEDULER_JOB_ID"]
            worker: workers
            tags: [cli]
            """);
        var gateway = fixture.Host("gateway");

        var created = (await Json(gateway, "jobs", "create", "-f", file)).Single();
        await Cluster.Eventually(async () => (await Json(gateway, "jobs", "list", "--tag", "cli")).Single().AsArray().Count == 1, "the job listed");
        var shown = (await Json(gateway, "jobs", "show", "cli-report")).Single();
        var triggered = (await Json(gateway, "jobs", "trigger", "cli-report", "--data", """{"day":"monday"}""")).Single();
        await Cluster.Eventually(async () => (await Json(gateway, "jobs", "runs", "cli-report", "--status", "succeeded")).Single().AsArray().Count == 1,
            "the triggered run succeeded");
        var history = await Ok(gateway, "jobs", "history", "cli-report");
        var paused = (await Json(gateway, "jobs", "pause", "cli-report", "--reason", "maintenance")).Single();
        var resumed = (await Json(gateway, "jobs", "resume", "cli-report")).Single();
        var replacement = Path.ChangeExtension(file, ".json");
        await File.WriteAllTextAsync(replacement, """{"id":"cli-report","schedule":{"every":{"hours":2}},"run":{"shell":{"command":["true"]}},"tags":["cli","replaced"]}""");
        var replaced = (await Json(gateway, "jobs", "replace", "-f", replacement)).Single();
        var canceled = (await Json(fixture.Host("scheduler-2"), "jobs", "cancel", "cli-report")).Single();

        Assert.Equal("cli-report", created["id"]!.GetValue<string>());
        Assert.Equal("workers", shown["definition"]!["worker"]!.GetValue<string>());
        Assert.StartsWith("cli-report~", triggered["runId"]!.GetValue<string>());
        Assert.Contains("run-finished", history.Out);
        Assert.Equal("maintenance", paused["pausedReason"]!.GetValue<string>());
        Assert.NotEqual("paused", resumed["status"]!.GetValue<string>());
        Assert.Equal(["cli", "replaced"], replaced["definition"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("canceled", canceled["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_refuse_a_definition_file_with_the_field_named_and_exit_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cli-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"id":"cli-bad","schedule":{"cron":"61 * * * *"},"run":{"shell":{"command":["true"]}}}""");

        var refused = await Schedctl.RunAsync(fixture.Host("gateway"), "jobs", "create", "-f", file);
        var missing = await Schedctl.RunAsync(fixture.Host("gateway"), "jobs", "show", "no-such-job");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("schedule.cron", refused.Error);
        Assert.True(missing.ExitCode == 1, missing.ToString());
    }

    [Fact]
    public async Task Should_preview_a_schedule_without_storing_anything()
    {
        var preview = (await Json(fixture.Host("gateway"), "jobs", "preview", "--cron", "0 0 9 * * MON", "--tz", "Europe/Amsterdam", "-n", "3",
            "--from", "2026-12-01T00:00:00Z")).Single();

        Assert.Equal(["2026-12-07 08:00:00.000Z", "2026-12-14 08:00:00.000Z", "2026-12-21 08:00:00.000Z"],
            preview.AsArray().Select(r => r!["utc"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Should_report_regions_shards_and_where_a_job_lives()
    {
        var gateway = fixture.Host("gateway");
        var file = Path.Combine(Path.GetTempPath(), $"cli-shard-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"id":"cli-shard","schedule":{"every":{"hours":1}},"run":{"shell":{"command":["true"]}}}""");
        await Ok(gateway, "jobs", "create", "-f", file);
        await Ok(gateway, "jobs", "show", "cli-shard"); // recovered: in memory on its scheduler

        var regions = (await Json(gateway, "cluster-sharding", "regions")).Single();
        var regionStats = (await Json(gateway, "cluster-sharding", "region-stats", "-r", "job")).Single();
        var shardStats = (await Json(fixture.Host("scheduler-1"), "cluster-sharding", "shard-stats", "-r", "job")).Single();
        var located = (await Json(gateway, "cluster-sharding", "locate", "-r", "job", "-e", "cli-shard")).Single();

        Assert.Equal("job", regions.AsArray().Single()!["region"]!.GetValue<string>());
        Assert.Equal(2, regionStats.AsArray().Count); // both schedulers hold shards; the gateway's proxy holds none
        var holder = located["node"]!.GetValue<string>();
        Assert.Contains(shardStats.AsArray(), s => s!["shard"]!.GetValue<string>() == located["shard"]!.GetValue<string>() && s["node"]!.GetValue<string>() == holder);
        Assert.True(located["inMemory"]!.GetValue<bool>(), located.ToJsonString());
    }

    [Fact]
    public async Task Should_describe_the_actor_system_and_its_tree_and_read_and_set_the_log()
    {
        var system = (await Json(fixture.Host("lighthouse"), "actor", "system")).Single();
        var tree = await Ok(fixture.Host("worker-1"), "actor", "hierarchy", "-s", "/user", "-d", "1");
        var peek = (await Json(fixture.Host("scheduler-1"), "log", "peek", "-n", "2000")).Single();
        var set = await Ok(fixture.Host("lighthouse"), "log", "level", "debug");
        var level = (await Json(fixture.Host("lighthouse"), "log", "level")).Single();
        await Ok(fixture.Host("lighthouse"), "log", "level", "info");

        Assert.Equal("actor-scheduler", system["name"]!.GetValue<string>());
        Assert.Contains("worker", tree.Out);
        Assert.Contains("command-agent", tree.Out);
        Assert.Contains(peek.AsArray(), line => line!["message"]!.GetValue<string>().Contains("is up"));
        Assert.Contains("debug", set.Out);
        Assert.Equal("debug", level["level"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_list_and_show_workers_and_read_a_workers_log()
    {
        var gateway = fixture.Host("gateway");

        var workers = (await Json(gateway, "workers", "list")).Single();
        var shown = (await Json(gateway, "workers", "show", "worker-1")).Single();
        var log = (await Json(gateway, "workers", "log", "worker-2", "-n", "2000")).Single();

        var names = workers.AsArray().Select(w => w!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("worker-1", names);
        Assert.Contains("worker-2", names);
        Assert.All(workers.AsArray().Where(w => w!["name"]!.GetValue<string>() is "worker-1" or "worker-2"),
            w => Assert.Equal("workers", w!["pools"]!.GetValue<string>()));
        Assert.Equal("worker-1", shown["name"]!.GetValue<string>());
        Assert.Contains(log.AsArray(), line => line!["message"]!.GetValue<string>().Contains("Worker worker-2"));
    }

    [Fact]
    public async Task Should_remove_a_member_from_the_cluster_with_cluster_down()
    {
        var extra = await Cluster.AddWorkerAsync();
        var address = (await Json(fixture.Host(extra.Name), "cluster", "status")).Single()["address"]!.GetValue<string>();

        var down = await Ok(fixture.Host("gateway"), "cluster", "down", "-a", address);
        await Cluster.Eventually(() => Task.FromResult(!extra.Running), $"{extra.Name} to exit once downed");
        await Cluster.Eventually(async () => !(await Ok(fixture.Host("gateway"), "cluster", "show")).Out.Contains(address),
            $"{address} gone from cluster show");

        Assert.Contains("down", down.Out);
        Assert.Equal(1, extra.ExitCode); // removed from outside: a supervisor should restart it
    }

    [Fact]
    public async Task Should_down_every_unreachable_member_with_down_unreachable()
    {
        // The split-brain resolver downs an unreachable member too, 10 s after it became unreachable; schedctl is
        // normally first by far, and a loaded machine where it is not gets another try with another member.
        var outputs = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var extra = await Cluster.AddWorkerAsync();
            var address = (await Json(fixture.Host(extra.Name), "cluster", "status")).Single()["address"]!.GetValue<string>();
            extra.Kill();
            await Cluster.Eventually(async () => (await Ok(fixture.Host("gateway"), "cluster", "unreachable")).Out.Contains(address),
                $"{address} seen unreachable");
            var downed = await Ok(fixture.Host("gateway"), "cluster", "down-unreachable");
            await Cluster.Eventually(async () => !(await Ok(fixture.Host("gateway"), "cluster", "show")).Out.Contains(address),
                $"{address} gone from cluster show");
            outputs.Add(downed.Out);
            if (downed.Out.Contains(address))
                return;
        }
        Assert.Fail("down-unreachable never named the member it downed:\n" + string.Join("\n---\n", outputs));
    }

    [Fact]
    public async Task Should_drain_a_worker_that_then_leaves_and_exits_cleanly()
    {
        var extra = await Cluster.AddWorkerAsync();

        var drained = await Ok(fixture.Host("scheduler-1"), "workers", "drain", extra.Name);
        await Cluster.Eventually(() => Task.FromResult(!extra.Running), $"{extra.Name} to exit after its drain");
        await Cluster.Eventually(async () => (await Json(fixture.Host("gateway"), "workers", "list")).Single().AsArray()
            .All(w => w!["name"]!.GetValue<string>() != extra.Name), $"{extra.Name} gone from workers list");

        Assert.Contains("draining", drained.Out);
        Assert.Equal(0, extra.ExitCode);
    }

    [Fact]
    public async Task Should_make_a_member_leave_and_let_a_member_join_again()
    {
        var extra = await Cluster.AddWorkerAsync();
        var address = (await Json(fixture.Host(extra.Name), "cluster", "status")).Single()["address"]!.GetValue<string>();
        var lighthouse = (await Json(fixture.Host("lighthouse"), "cluster", "status")).Single()["address"]!.GetValue<string>();

        // Akka ignores a join from a member, so schedctl refuses it with the reason instead of reporting a join.
        var joined = await Schedctl.RunAsync(fixture.Host("scheduler-2"), "cluster", "join", "-a", lighthouse);
        var left = await Ok(fixture.Host("lighthouse"), "cluster", "leave", "-a", address);
        await Cluster.Eventually(() => Task.FromResult(!extra.Running), $"{extra.Name} to exit after leaving");

        await Cluster.Eventually(async () => (await Ok(fixture.Host("gateway"), "cluster", "show")).Out.Contains($"Count: {RunningMembers} nodes"),
            "cluster show without the member that left");

        Assert.True(joined.ExitCode == 1, joined.ToString());
        Assert.Contains("already a member", joined.Error);
        Assert.Contains("leaving", left.Out);
        Assert.Equal(0, extra.ExitCode); // it left as asked
    }

    [Fact]
    public async Task Should_follow_membership_events_with_cluster_tail_until_interrupted()
    {
        var lines = new StringBuilder();
        using var tail = Schedctl.Follow(lines, fixture.Host("lighthouse"), "cluster", "tail");
        await Cluster.Eventually(() => Task.FromResult(Read(lines).Contains("MemberUp")), "the initial members in the tail", detail: () => Read(lines));

        var extra = await Cluster.AddWorkerAsync();
        var address = (await Json(fixture.Host(extra.Name), "cluster", "status")).Single()["address"]!.GetValue<string>();
        await Cluster.Eventually(() => Task.FromResult(Read(lines).Split('\n').Count(l => l.Contains(address)) >= 1), "the new member in the tail",
            detail: () => Read(lines));
        await Schedctl.InterruptAsync(tail.Process);
        await extra.StopAsync();

        Assert.Equal(0, tail.Process.ExitCode);
    }

    [Fact]
    public async Task Should_follow_a_nodes_log_with_log_tail_until_interrupted()
    {
        var lines = new StringBuilder();
        using var tail = Schedctl.Follow(lines, fixture.Host("gateway"), "log", "tail");
        // Anything the gateway logs will do; a level change logs a line of its own.
        await Cluster.Eventually(async () =>
        {
            await Ok(fixture.Host("gateway"), "log", "level", "info");
            return Read(lines).Contains("Log level set to info");
        }, "the gateway's log line in the tail", detail: () => Read(lines));
        await Schedctl.InterruptAsync(tail.Process);

        Assert.Equal(0, tail.Process.ExitCode);
    }

    private static string Read(StringBuilder lines)
    {
        lock (lines) return lines.ToString();
    }
}
