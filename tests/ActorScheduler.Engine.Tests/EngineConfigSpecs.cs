using ActorScheduler.Engine.Hosting;
using Akka.Configuration;

namespace ActorScheduler.Engine.Tests;

public sealed class EngineConfigSpecs
{
    [Theory]
    [InlineData("base.conf")]
    [InlineData("sqlite.conf")]
    public void Should_parse_every_embedded_hocon_file(string file)
    {
        var config = ConfigurationFactory.ParseString(EngineConfig.ReadEmbedded(file));

        Assert.False(config.IsEmpty, $"{file} parsed to nothing");
    }

    [Fact]
    public void Should_read_the_documented_defaults_when_nothing_is_overridden()
    {
        var settings = EngineSettings.From(EngineConfig.Load());

        Assert.Equal(["gateway", "scheduler", "worker"], settings.Roles.Order());
        Assert.Equal(("127.0.0.1", 5080, (string?)null), (settings.Gateway.Host, settings.Gateway.Port, settings.Gateway.Token));
        Assert.Equal(100, settings.ShardCount);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Entity.IdleTimeout);
        Assert.False(settings.Worker.AllowAnyCommand, "the files must not allow every command; only the all-in-one host's appsettings does");
        Assert.False(settings.Worker.Http.AllowLoopback || settings.Worker.Http.AllowPrivateNetworks, "the files must let HTTP jobs reach public addresses only");
        Assert.Empty(settings.Worker.PassEnvironment);
        Assert.Equal(64, settings.Worker.Slots);
        Assert.Equal(Path.GetFullPath("data"), settings.DataDirectory);
        Assert.Equal("sqlite", settings.Database.Provider);
    }

    [Fact]
    public void Should_let_overrides_win_over_the_files()
    {
        var overrides = ConfigurationFactory.ParseString("""
            actor-scheduler.gateway.port = 6080
            actor-scheduler.roles = [worker]
            actor-scheduler.worker { name = w7, pools = [gpu, vip] }
            actor-scheduler.database.sqlite-file = "other.db"
            """);

        var settings = EngineSettings.From(EngineConfig.Load(overrides));

        Assert.Equal(6080, settings.Gateway.Port);
        Assert.Equal(["worker"], settings.Roles);
        Assert.Equal(("w7", "gpu,vip"), (settings.Worker.Name, string.Join(",", settings.Worker.Pools)));
        Assert.EndsWith("other.db", settings.Database.SqliteFile);
    }

    [Fact]
    public void Should_refuse_unknown_roles_with_a_message_naming_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            EngineSettings.From(EngineConfig.Load(ConfigurationFactory.ParseString("actor-scheduler.roles = [scheduler, chef]"))));

        Assert.Contains("actor-scheduler.roles", error.Message);
    }

    [Fact]
    public void Should_refuse_to_build_a_worker_whose_http_destinations_cannot_be_read_naming_the_key()
    {
        var settings = EngineSettings.From(EngineConfig.Load(ConfigurationFactory.ParseString(
            "actor-scheduler.worker.http.allowed-networks = [\"10.0.0.0/8\", \"intranet\"]")));

        var error = Assert.Throws<InvalidOperationException>(() => WorkerRunners.Create(settings.Worker));

        Assert.Contains("actor-scheduler.worker.http.allowed-networks", error.Message);
        Assert.Contains("'intranet'", error.Message);
    }

    [Fact]
    public void Should_refuse_to_build_a_worker_that_passes_scheduler_variables_through_naming_the_key()
    {
        var settings = EngineSettings.From(EngineConfig.Load(ConfigurationFactory.ParseString(
            "actor-scheduler.worker.shell.pass-environment = [LANGUAGE, SCHEDULER_RUN_ID]")));

        var error = Assert.ThrowsAny<Exception>(() => WorkerRunners.Create(settings.Worker));

        Assert.Contains("SCHEDULER_RUN_ID", error.Message);
    }

    [Theory]
    [InlineData("", "needs an API token")]
    [InlineData("short-token", "at least 32 characters (this one has 11)")]
    public void Should_refuse_a_scheduler_whose_cluster_port_others_reach_without_a_strong_token(string token, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => EngineSettings.From(EngineConfig.Load(ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp.hostname = "10.1.2.3"
            actor-scheduler.cluster.allow-insecure = on
            actor-scheduler.gateway.token = "{{token}}"
            """))));

        Assert.Contains("10.1.2.3", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
