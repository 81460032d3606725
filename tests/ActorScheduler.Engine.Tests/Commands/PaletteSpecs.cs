using ActorScheduler.Commands;
using ActorScheduler.Core;
using ActorScheduler.Engine.Jobs;
using Akka.Event;

namespace ActorScheduler.Engine.Tests.Commands;

/// <summary>
/// Each palette's commands against a whole single-node engine, over the command host's socket. (Several members,
/// downing and draining: tests/ActorScheduler.Integration.Tests, with real processes.)
/// </summary>
public sealed class PaletteSpecs : IAsyncLifetime
{
    private CommandHostFixture _host = null!;
    private CommandClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await CommandHostFixture.StartAsync();
        _client = await _host.ConnectAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private const string Definition = """{"id":"nightly","schedule":{"every":{"hours":1}},"run":{"shell":{"command":["true"]}},"tags":["etl"]}""";

    [Fact]
    public async Task Should_show_one_line_per_member_and_the_count_like_pbm()
    {
        var output = (await _client.Ok("cluster", "show")).Single();

        Assert.Equal(OutputViews.Lines, output.View);
        Assert.Equal(["address", "roles", "status", "reachability"], output.Columns);
        Assert.Equal("Count: 1 nodes", output.Footer);
        var member = output.Rows().Single();
        Assert.Equal(("Up", "Reachable"), (member.GetProperty("status").GetString(), member.GetProperty("reachability").GetString()));
        Assert.Contains("scheduler", member.GetProperty("roles").GetString());
    }

    [Fact]
    public async Task Should_name_the_leader_and_refuse_a_role_nobody_has()
    {
        var leader = (await _client.Ok("cluster", "leader")).Single();
        var none = await _client.Refused("cluster", "leader", ("role", "lighthouse"));

        Assert.Equal(Akka.Cluster.Cluster.Get(_host.Engine.Host.System).SelfAddress.ToString(), leader.Field("leader"));
        Assert.Equal(EndStatus.Failed, none.Status);
    }

    [Fact]
    public async Task Should_refuse_to_down_an_address_that_is_not_a_member_or_not_an_address()
    {
        var stranger = await _client.Refused("cluster", "down", ("address", "akka.tcp://actor-scheduler@127.0.0.1:1"));
        var garbage = await _client.Refused("cluster", "down", ("address", "not an address"));

        Assert.Equal(EndStatus.Failed, stranger.Status);
        Assert.Contains("not a member", stranger.Message);
        Assert.Equal(EndStatus.Usage, garbage.Status);
    }

    [Fact]
    public async Task Should_create_show_trigger_pause_resume_and_cancel_a_job_as_the_http_api_does()
    {
        var created = (await _client.Ok("jobs", "create", ("file", Definition))).Single();
        var duplicate = await _client.Refused("jobs", "create", ("file", Definition));
        var triggered = (await _client.Ok("jobs", "trigger", ("id", "nightly"), ("data", """{"day":"monday"}"""))).Single();
        var paused = (await _client.Ok("jobs", "pause", ("id", "nightly"), ("reason", "maintenance"))).Single();
        var resumed = (await _client.Ok("jobs", "resume", ("id", "nightly"))).Single();
        var canceled = (await _client.Ok("jobs", "cancel", ("id", "nightly"))).Single();

        Assert.Equal("nightly", created.Field("id"));
        Assert.Equal(EndStatus.Failed, duplicate.Status);
        Assert.StartsWith("nightly~", triggered.Field("runId"));
        Assert.Equal(("paused", "maintenance"), (paused.Field("status"), paused.Field("pausedReason")));
        Assert.NotEqual("paused", resumed.Field("status"));
        Assert.Equal("canceled", canceled.Field("status"));
    }

    [Fact]
    public async Task Should_name_the_field_of_an_invalid_definition_and_store_nothing()
    {
        var invalid = await _client.Refused("jobs", "create", ("file", """{"id":"bad","schedule":{"cron":"61 * * * *"},"run":{"shell":{"command":["true"]}}}"""));
        var typo = await _client.Refused("jobs", "create", ("file", """{"id":"bad","shedule":{}}"""));
        var show = await _client.Refused("jobs", "show", ("id", "bad"));

        Assert.Equal(EndStatus.Usage, invalid.Status);
        Assert.Contains("schedule.cron", invalid.Message);
        Assert.Equal(EndStatus.Usage, typo.Status);
        Assert.Contains("shedule", typo.Message);
        Assert.Equal(EndStatus.Failed, show.Status);
    }

    [Fact]
    public async Task Should_list_jobs_filtered_and_show_runs_and_history_of_one()
    {
        await _client.Ok("jobs", "create", ("file", Definition));
        await _client.Ok("jobs", "create", ("file", Definition.Replace("nightly", "hourly").Replace("\"etl\"", "\"web\"")));
        await _client.Ok("jobs", "trigger", ("id", "nightly"));

        var all = await EngineFixture.Eventually(async () => (await _client.Ok("jobs", "list")).Single(), o => o.Rows().Count() == 2, "both jobs listed");
        var tagged = (await _client.Ok("jobs", "list", ("tag", "etl"))).Single();
        var runs = await EngineFixture.Eventually(async () => (await _client.Ok("jobs", "runs", ("id", "nightly"))).Single(),
            o => o.Rows().Any(r => r.GetProperty("status").GetString() == "succeeded"), "the triggered run succeeded");
        var history = (await _client.Ok("jobs", "history", ("id", "nightly"), ("limit", "2"))).Single();
        var badStatus = await _client.Refused("jobs", "list", ("status", "sleeping"));

        Assert.Equal(["hourly", "nightly"], all.Rows().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("nightly", tagged.Rows().Single().GetProperty("id").GetString());
        Assert.Equal("manual", runs.Rows().First().GetProperty("trigger").GetString());
        Assert.Equal(2, history.Rows().Count());
        Assert.Contains("the last 2 of", history.Footer);
        Assert.Equal(EndStatus.Usage, badStatus.Status);
    }

    [Fact]
    public async Task Should_preview_a_schedule_in_its_time_zone_and_refuse_an_unclear_one()
    {
        var cron = (await _client.Ok("jobs", "preview", ("cron", "0 30 9 * * MON-FRI"), ("tz", "Europe/Amsterdam"), ("count", "3"),
            ("from", "2026-12-04T00:00:00Z"))).Single();
        var every = (await _client.Ok("jobs", "preview", ("every", "1M7d"), ("count", "2"), ("from", "2026-01-31T00:00:00Z"))).Single();
        var both = await _client.Refused("jobs", "preview", ("cron", "* * * * *"), ("every", "1d"));
        var badPeriod = await _client.Refused("jobs", "preview", ("every", "3 fortnights"));

        Assert.Equal(["2026-12-04 08:30:00.000Z", "2026-12-07 08:30:00.000Z", "2026-12-08 08:30:00.000Z"],
            cron.Rows().Select(r => r.GetProperty("utc").GetString()));
        Assert.Equal("2026-12-04 09:30:00 +01:00", cron.Rows().First().GetProperty("local").GetString());
        Assert.Equal(2, every.Rows().Count());
        Assert.Equal(EndStatus.Usage, both.Status);
        Assert.Contains("--every", badPeriod.Message);
    }

    [Fact]
    public async Task Should_list_the_worker_with_its_slots_and_show_what_it_runs()
    {
        var list = (await _client.Ok("workers", "list")).Single();
        var show = (await _client.Ok("workers", "show", ("name", "test-worker"))).Single();
        var unknown = await _client.Refused("workers", "show", ("name", "nobody"));

        var worker = list.Rows().Single();
        Assert.Equal(("test-worker", "0"), (worker.GetProperty("name").GetString(), worker.GetProperty("inFlight").GetString()));
        Assert.True(worker.GetProperty("slots").GetInt32() > 0);
        Assert.Equal("false", show.Field("draining").ToLowerInvariant());
        Assert.Equal(EndStatus.Failed, unknown.Status);
    }

    [Fact]
    public async Task Should_locate_a_job_in_its_shard_and_count_shards_per_node()
    {
        await _client.Ok("jobs", "create", ("file", Definition));
        await _client.Ok("jobs", "show", ("id", "nightly")); // in memory now

        var located = (await _client.Ok("cluster-sharding", "locate", ("entity", "nightly"))).Single();
        var regions = (await _client.Ok("cluster-sharding", "region-stats")).Single();
        var shards = (await _client.Ok("cluster-sharding", "shard-stats")).Single();
        var names = (await _client.Ok("cluster-sharding", "regions")).Single();

        var expectedShard = JobSharding.ShardOf(JobId.Parse("nightly"), _host.Engine.Host.Settings.ShardCount).ToString();
        Assert.Equal(expectedShard, located.Field("shard"));
        Assert.Equal("True", located.Field("inMemory"));
        Assert.True(regions.Rows().Single().GetProperty("entities").GetInt32() >= 1);
        Assert.Contains(shards.Rows(), r => r.GetProperty("shard").GetString() == expectedShard);
        Assert.Equal("job", names.Rows().Single().GetProperty("region").GetString());
    }

    [Fact]
    public async Task Should_draw_the_actor_tree_and_describe_the_system()
    {
        var tree = (await _client.Ok("actor", "hierarchy", ("depth", "1"))).Single();
        var system = (await _client.Ok("actor", "system")).Single();

        var paths = tree.Rows().Select(r => r.GetProperty("path").GetString()).ToList();
        Assert.Contains("/user/command-agent", paths);
        Assert.Contains("/user/worker", paths);
        Assert.Equal("actor-scheduler", system.Field("name"));
    }

    [Fact]
    public async Task Should_peek_at_the_log_and_change_its_level()
    {
        _host.Engine.Host.System.Log.Warning("peek at this line");

        var peek = await EngineFixture.Eventually(async () => (await _client.Ok("log", "peek", ("lines", "100"))).Single(),
            o => o.Rows().Any(r => r.GetProperty("message").GetString() == "peek at this line"), "the line in the buffer");
        var lowered = (await _client.Ok("log", "level", ("level", "debug"))).Single();
        Logging.GetLogger(_host.Engine.Host.System, "a-source-made-after-the-change").Debug("a debug line");
        var debug = await EngineFixture.Eventually(async () => (await _client.Ok("log", "peek", ("lines", "100"))).Single(),
            o => o.Rows().Any(r => r.GetProperty("message").GetString() == "a debug line"), "the debug line in the buffer");
        var level = (await _client.Ok("log", "level")).Single();
        var wrong = await _client.Refused("log", "level", ("level", "loud"));

        Assert.Equal("warning", peek.Rows().Last(r => r.GetProperty("message").GetString() == "peek at this line").GetProperty("level").GetString());
        Assert.Equal(LogLevel.DebugLevel, _host.Engine.Host.System.EventStream.LogLevel);
        Assert.Equal("debug", level.Field("level"));
        Assert.Contains("created from now on", lowered.Data.GetString()); // Akka's existing loggers keep their level: said, not hidden
        Assert.NotNull(debug);
        Assert.Equal(EndStatus.Usage, wrong.Status);
    }
}
