using ActorScheduler.Cli.Launch;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

public sealed class LaunchArgumentsSpecs
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("10.0.0.5:9110", "10.0.0.5", 9110)]
    [InlineData("node-2.cluster.local:9200", "node-2.cluster.local", 9200)]
    [InlineData("localhost:1", "localhost", 1)]
    [InlineData("[::1]:9110", "::1", 9110)]
    [InlineData("[fe80::1%eth0]:9110", "fe80::1%eth0", 9110)]
    public void Should_take_the_first_word_as_the_host_when_it_looks_like_host_and_port(string word, string host, int port)
    {
        var launch = LaunchArguments.Parse([word, "jobs", "list"], NoEnvironment);

        Assert.Equal(new HostAddress(host, port, word), launch.Host);
        Assert.Equal(["jobs", "list"], launch.Rest);
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("::1:9110")]
    [InlineData("akka.tcp://actor-scheduler@10.0.0.5:4053")]
    [InlineData("host:port")]
    public void Should_not_take_a_word_as_the_host_when_it_is_not_host_and_port(string word)
    {
        var launch = LaunchArguments.Parse([word, "list"], NoEnvironment);

        Assert.Equal(HostAddress.Default, launch.Host);
        Assert.Equal([word, "list"], launch.Rest);
    }

    [Fact]
    public void Should_leave_a_colon_value_after_the_palette_alone_when_it_looks_like_host_and_port()
    {
        var launch = LaunchArguments.Parse(["jobs", "show", "web:80"], NoEnvironment);

        Assert.Equal(HostAddress.Default, launch.Host);
        Assert.Equal(["jobs", "show", "web:80"], launch.Rest);
    }

    [Fact]
    public void Should_take_the_connection_options_out_wherever_they_stand_when_parsing()
    {
        var launch = LaunchArguments.Parse(["--timeout", "5", "[::1]:9110", "jobs", "list", "--token=secret", "--json"], NoEnvironment);

        Assert.Equal("::1", launch.Host.Host);
        Assert.Equal("secret", launch.Token);
        Assert.Equal(TimeSpan.FromSeconds(5), launch.Timeout);
        Assert.Equal(["jobs", "list", "--json"], launch.Rest);
    }

    [Fact]
    public void Should_use_the_environment_when_no_host_or_token_is_given()
    {
        var environment = new Dictionary<string, string> { ["SCHEDCTL_HOST"] = "node-7", ["SCHEDCTL_TOKEN"] = " from-env \n" };

        var launch = LaunchArguments.Parse(["jobs", "list"], environment.GetValueOrDefault);

        Assert.Equal(new HostAddress("node-7", 9110, "node-7:9110"), launch.Host);
        Assert.Equal("from-env", launch.Token);
    }

    [Fact]
    public void Should_prefer_the_token_option_to_the_environment_when_both_are_given()
    {
        var launch = LaunchArguments.Parse(["--token", "given", "jobs"], name => name == "SCHEDCTL_TOKEN" ? "from-env" : null);

        Assert.Equal("given", launch.Token);
    }

    [Fact]
    public void Should_read_the_token_file_trimmed_when_one_is_given()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  file-token\n");

            var launch = LaunchArguments.Parse(["--token-file", file, "jobs"], NoEnvironment);

            Assert.Equal("file-token", launch.Token);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "--token-file", "/nonexistent/token" }, "/nonexistent/token")]
    [InlineData(new[] { "--token", "a", "--token-file", "b" }, "not both")]
    [InlineData(new[] { "--timeout", "soon" }, "--timeout expects seconds")]
    [InlineData(new[] { "--timeout", "0" }, "--timeout expects seconds")]
    [InlineData(new[] { "jobs", "--token" }, "--token needs a value")]
    public void Should_refuse_as_usage_when_a_connection_option_is_wrong(string[] args, string expected)
    {
        var error = Assert.Throws<UsageException>(() => LaunchArguments.Parse(args, NoEnvironment));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Should_refuse_as_usage_when_the_host_variable_is_not_an_address()
    {
        var error = Assert.Throws<UsageException>(() => LaunchArguments.Parse(["jobs"], name => name == "SCHEDCTL_HOST" ? "a b" : null));

        Assert.Contains("SCHEDCTL_HOST='a b'", error.Message);
    }

    [Fact]
    public void Should_pass_everything_after_a_double_dash_through_when_it_looks_like_an_option()
    {
        var launch = LaunchArguments.Parse(["jobs", "trigger", "--", "--token"], NoEnvironment);

        Assert.Null(launch.Token);
        Assert.Equal(["jobs", "trigger", "--", "--token"], launch.Rest);
    }
}
