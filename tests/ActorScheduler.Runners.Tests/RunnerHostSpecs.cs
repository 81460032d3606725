using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Handlers;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>The worker's entry point: picks the runner, and turns bad input into a Failed result.</summary>
public sealed class RunnerHostSpecs
{
    private readonly RunnerHost host = new(new ShellRunner(ShellPolicy.AllowAny), new HandlerRunner(HandlerRegistry.WithBuiltIns()));

    private Task<RunResult> Run(RunRequest request) => host.RunAsync(request, null, CancellationToken.None).Within();

    [Fact]
    public async Task Should_run_on_the_matching_runner_when_the_spec_has_one_form()
    {
        var shell = await Run(Runs.Bash("echo from-shell"));
        var handler = await Run(Runs.Handler("noop"));

        Assert.Equal("from-shell\n", shell.Output);
        Assert.Equal(RunStatus.Succeeded, handler.Outcome);
    }

    [Fact]
    public async Task Should_fail_when_no_runner_on_the_worker_takes_the_kind()
    {
        var result = await Run(Runs.Request(new RunSpec { Http = new HttpRunSpec { Url = "http://127.0.0.1/" } }));

        Assert.Equal(RunResult.Failed("this worker has no runner for http runs"), result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Should_fail_when_the_spec_does_not_have_exactly_one_form(int forms)
    {
        var spec = forms == 0
            ? new RunSpec()
            : new RunSpec { Shell = new ShellRunSpec { Command = ["true"] }, Handler = new HandlerRunSpec { Name = "noop" } };

        var result = await Run(Runs.Request(spec));

        Assert.Equal(RunResult.Failed("run must have exactly one of shell, http, handler or script"), result);
    }

    [Fact]
    public async Task Should_fail_when_the_request_has_no_run_spec()
    {
        var result = await Run(Runs.Request(null!));

        Assert.Equal(RunStatus.Failed, result.Outcome);
    }

    [Fact]
    public async Task Should_fail_with_the_message_when_a_runner_throws()
    {
        var throwing = new RunnerHost(new ThrowingRunner());

        var result = await throwing.RunAsync(Runs.Handler("noop"), null, CancellationToken.None).Within();

        Assert.Equal(RunResult.Failed("the handler runner failed unexpectedly: InvalidOperationException: runner bug"), result);
    }

    private sealed class ThrowingRunner : IRunner
    {
        public bool CanRun(RunSpec spec) => true;

        public Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel) =>
            throw new InvalidOperationException("runner bug");
    }
}
