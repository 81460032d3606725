using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary>schedctl with no command: the prompt, over the line editor on a terminal or plain lines from a pipe.</summary>
public sealed class InteractiveSpecs : FakeHostSpecs
{
    [Fact]
    public async Task Should_run_each_piped_line_until_exit_when_stdin_is_not_a_terminal()
    {
        var result = await SchedctlRun.RunAsync([Host.Address], stdin: "help\n\njobs list --json\nexit\ncluster show\n");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("jobs", result.Out);
        Assert.Contains("""[{"id":"nightly",""", result.Out);
        Assert.DoesNotContain("schedctl> ", result.Out);
        Assert.Equal(["list"], Host.Requests.Select(r => r.Command));
    }

    [Fact]
    public async Task Should_go_on_after_a_failed_line_and_answer_the_last_exit_code_when_the_input_ends()
    {
        var result = await SchedctlRun.RunAsync([Host.Address], stdin: "jobs trigger n --data '{\njobs nosuch\njobs list\njobs show missing\n");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("unclosed single quote", result.Error);
        Assert.Contains("Palette 'jobs' has no command 'nosuch'", result.Error);
        Assert.Equal(["list", "show"], Host.Requests.Select(r => r.Command));
    }

    [Fact]
    public async Task Should_complete_with_tab_and_run_the_line_when_the_terminal_types_it()
    {
        var keys = new ScriptedKeyboard().Type("jo\tli\t--st\tpa\t\n").Press(ConsoleKey.D, control: true);

        var result = await SchedctlRun.RunAsync([Host.Address], keyboard: keys);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains($"[{Host.Address}] schedctl> ", result.Out);
        Assert.Equal(new Dictionary<string, string> { ["status"] = "paused" }, Host.SingleRequest().Arguments);
        Assert.Contains(FakeAnswers.JobsFooter, result.Out);
    }

    [Fact]
    public async Task Should_connect_again_for_the_next_command_when_the_connection_was_lost()
    {
        var result = await SchedctlRun.RunAsync([Host.Address], stdin: "cluster leave\njobs list\n");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("connection", result.Error);
        Assert.Equal(2, Host.Hellos.Count);
        Assert.Contains(FakeAnswers.JobsFooter, result.Out);
    }
}
