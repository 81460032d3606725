using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary>A command host with a token serves only clients that say it.</summary>
public sealed class TokenSpecs() : FakeHostSpecs(Token)
{
    private const string Token = "command-host-token-0123456789abcdef";

    [Theory]
    [InlineData(null)]
    [InlineData("a-wrong-token")]
    public async Task Should_exit_3_and_say_how_to_give_the_token_when_the_host_refuses(string? token)
    {
        var result = await SchedctlRun.RunAsync(token is null ? [Host.Address, "jobs", "list"] : [Host.Address, "--token", token, "jobs", "list"]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains("give it with --token-file FILE or SCHEDCTL_TOKEN", result.Error);
        Assert.Empty(Host.Requests);
    }

    [Fact]
    public async Task Should_run_the_command_when_the_token_comes_from_the_environment()
    {
        var result = await SchedctlRun.RunAsync([Host.Address, "jobs", "list"], new Dictionary<string, string> { ["SCHEDCTL_TOKEN"] = Token });

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(Token, Assert.Single(Host.Hellos).Token);
    }

    [Fact]
    public async Task Should_run_the_command_when_the_token_comes_from_a_file()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Token + "\n");
        try
        {
            var result = await SchedctlRun.RunAsync([Host.Address, "--token-file", file, "jobs", "list"]);

            Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
