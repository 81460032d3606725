using ActorScheduler.Engine.Hosting;
using ActorScheduler.Node;

namespace ActorScheduler.Integration.Tests;

/// <summary>Environment over appsettings.json over the HOCON files, and switches over everything.</summary>
public sealed class HostConfigurationSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("as-config-").FullName;

    private EngineSettings Settings(string[] args, Dictionary<string, string?>? environment = null, string? appsettings = null)
    {
        if (appsettings is not null)
            File.WriteAllText(Path.Combine(_directory, "appsettings.json"), appsettings);
        return EngineSettings.From(EngineConfig.Load(HostConfiguration.Build(args, _directory, environment ?? new())));
    }

    [Fact]
    public void Should_take_appsettings_over_the_files_and_environment_over_appsettings()
    {
        var settings = Settings([],
            new() { ["ACTORSCHEDULER__Gateway__Port"] = "7001", ["actorscheduler__worker__pools"] = "gpu, vip" },
            """{ "ActorScheduler": { "Gateway": { "Port": 6001, "Host": "127.0.0.2" }, "Worker": { "Shell": { "AllowAnyCommand": true }, "Pools": ["a"] } } }""");

        Assert.Equal(7001, settings.Gateway.Port);
        Assert.Equal("127.0.0.2", settings.Gateway.Host);
        Assert.True(settings.Worker.AllowAnyCommand);
        Assert.Equal(["gpu", "vip"], settings.Worker.Pools);
    }

    [Fact]
    public void Should_match_setting_names_regardless_of_case_and_dashes()
    {
        var settings = Settings([], new() { ["ACTORSCHEDULER__WORKER__SHELL__ALLOWANYCOMMAND"] = "true", ["ACTORSCHEDULER__gateway__ask_timeout"] = "5s" });

        Assert.True(settings.Worker.AllowAnyCommand);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Gateway.AskTimeout);
    }

    [Fact]
    public void Should_read_the_token_from_the_file_given_with_token_file()
    {
        var file = Path.Combine(_directory, "token");
        File.WriteAllText(file, "a-token-that-stays-out-of-ps-0123456789\n");

        var settings = Settings(["--token-file", file]);

        Assert.Equal("a-token-that-stays-out-of-ps-0123456789", settings.Gateway.Token);
    }

    [Fact]
    public void Should_refuse_a_token_given_both_directly_and_in_a_file()
    {
        var file = Path.Combine(_directory, "token");
        File.WriteAllText(file, "from-the-file");

        var error = Assert.Throws<Akka.Configuration.ConfigurationException>(() => Settings(["--token-file", file, "--token", "from-the-command-line"]));

        Assert.Contains("not both", error.Message);
    }

    [Fact]
    public void Should_refuse_an_unknown_setting_rather_than_ignore_it()
    {
        var error = Assert.Throws<ArgumentException>(() => Settings([], new() { ["ACTORSCHEDULER__Worker__AllowAny"] = "true" }));

        Assert.Contains("Worker:AllowAny", error.Message);
    }

    [Fact]
    public void Should_read_the_cluster_variables_of_akka_deployments()
    {
        var settings = Settings(["--roles", "scheduler"], new()
        {
            ["ACTORSYSTEM"] = "drill",
            ["ACTORSCHEDULER__DATABASE__PROVIDER"] = "postgres",
            ["ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION"] = "Host=db;Database=x;Username=u;Password=p",
        });

        Assert.Equal("drill", settings.SystemName);
        Assert.True(settings.Database.IsPostgres);
        Assert.Equal("Host=db;Database=x;Username=u;Password=p", settings.Database.PostgresConnection);
    }

    [Theory]
    [InlineData("scheduler", "postgres", "", "postgres-connection is empty")]
    [InlineData("gateway", "sqlite", "", "use provider = postgres")]
    [InlineData("scheduler", "mysql", "", "must be sqlite or postgres")]
    public void Should_refuse_a_database_setting_that_cannot_work(string roles, string provider, string connection, string reason)
    {
        var error = Assert.ThrowsAny<Exception>(() => Settings(["--roles", roles], new()
        {
            ["ACTORSCHEDULER__DATABASE__PROVIDER"] = provider,
            ["ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION"] = connection,
        }));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Should_take_switches_over_the_environment()
    {
        var settings = Settings(["--port", "7002", "--roles", "worker,scheduler", "--name", "w9"],
            new() { ["ACTORSCHEDULER__Gateway__Port"] = "7001", ["ACTORSCHEDULER__Roles"] = "gateway" });

        Assert.Equal(7002, settings.Gateway.Port);
        Assert.Equal(["scheduler", "worker"], settings.Roles.Order());
        Assert.Equal("w9", settings.Worker.Name);
    }

    [Fact]
    public void Should_read_the_worker_http_destinations_and_passed_environment_from_the_environment()
    {
        var settings = Settings([], new()
        {
            ["ACTORSCHEDULER__WORKER__HTTP__ALLOW_LOOPBACK"] = "true",
            ["ACTORSCHEDULER__WORKER__HTTP__ALLOWED_NETWORKS"] = "10.1.0.0/16, 192.168.7.7",
            ["ACTORSCHEDULER__WORKER__SHELL__PASS_ENVIRONMENT"] = "JAVA_HOME,http_proxy",
        });

        var destinations = WorkerRunners.Destinations(settings.Worker);

        Assert.True(destinations.AllowLoopback);
        Assert.False(destinations.AllowPrivateNetworks);
        Assert.Equal(["10.1.0.0/16", "192.168.7.7"], destinations.AllowedNetworks);
        Assert.Equal(["JAVA_HOME", "http_proxy"], settings.Worker.PassEnvironment);
    }

    [Fact]
    public void Should_read_appsettings_lists_as_lists()
    {
        var settings = Settings([], appsettings: """{ "ActorScheduler": { "Roles": ["scheduler", "worker"] } }""");

        Assert.Equal(["scheduler", "worker"], settings.Roles.Order());
    }

    [Theory]
    [InlineData("--colour", "blue", "Unknown option '--colour'")]
    [InlineData("--port", null, "needs a value")]
    public void Should_refuse_bad_switches_with_a_plain_message(string option, string? value, string message)
    {
        var args = value is null ? new[] { option } : [option, value];

        var error = Assert.Throws<ArgumentException>(() => Settings(args));

        Assert.Contains(message, error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
