using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary>Ctrl-C and time-outs: a request is canceled on the host and its End awaited, never just abandoned.</summary>
public sealed class InterruptSpecs
{
    [Fact]
    public async Task Should_cancel_on_the_host_wait_for_its_end_and_exit_0_when_a_tail_is_interrupted()
    {
        await using var host = FakeCommandHost.Start();
        var interrupts = new Interrupts();

        var run = SchedctlRun.RunAsync([host.Address, "jobs", "tail", "nightly"], interrupts: interrupts);
        await host.StreamStarted.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(interrupts.Interrupt(), "the first Ctrl-C is taken by the running request");
        var result = await run;

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.True(host.CancelReceived.Task.IsCompleted, "the host was asked to cancel");
        Assert.Contains("[nightly~1] 0/10 0%", result.Out);
        Assert.Contains(FakeAnswers.StreamedLine, result.Out);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public async Task Should_go_back_to_the_prompt_when_a_tail_is_interrupted_in_the_interactive_session()
    {
        await using var host = FakeCommandHost.Start();
        var interrupts = new Interrupts();

        var run = SchedctlRun.RunAsync([host.Address], stdin: "jobs tail nightly\njobs list\n", interrupts: interrupts);
        await host.StreamStarted.Task.WaitAsync(TimeSpan.FromMinutes(1));
        interrupts.Interrupt();
        var result = await run;

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(["tail", "list"], host.Requests.Select(r => r.Command));
        Assert.Contains(FakeAnswers.JobsFooter, result.Out);
    }

    [Fact]
    public async Task Should_exit_3_and_drop_the_connection_when_the_host_never_confirms_the_cancel()
    {
        await using var host = FakeCommandHost.Start(ignoresCancel: true);
        var interrupts = new Interrupts();

        // the timeout also bounds the connect, so it stays long enough for a loaded machine
        var run = SchedctlRun.RunAsync([host.Address, "--timeout", "5", "jobs", "tail", "nightly"], interrupts: interrupts);
        await host.StreamStarted.Task.WaitAsync(TimeSpan.FromMinutes(1));
        interrupts.Interrupt();
        var result = await run;

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains("did not confirm the cancel", result.Error);
    }

    [Fact]
    public async Task Should_cancel_and_exit_1_when_a_command_that_does_not_stream_outlasts_the_timeout()
    {
        await using var host = FakeCommandHost.Start();

        var result = await SchedctlRun.RunAsync([host.Address, "--timeout", "5", "cluster", "unreachable"]);

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("No answer within 5 s", result.Error);
        Assert.True(host.CancelReceived.Task.IsCompleted, "the host was asked to cancel");
    }

    [Fact]
    public void Should_let_the_process_end_when_ctrl_c_comes_a_second_time_or_with_nothing_running()
    {
        var interrupts = new Interrupts();
        Assert.False(interrupts.Interrupt(), "nothing runs");

        using (interrupts.BeginRequest())
        {
            Assert.True(interrupts.Interrupt(), "the first press stops the request");
            Assert.False(interrupts.Interrupt(), "the second press ends the process");
        }
        Assert.False(interrupts.Interrupt(), "the request is over");
    }
}
