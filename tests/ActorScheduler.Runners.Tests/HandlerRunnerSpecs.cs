using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Handlers;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>Named .NET handlers: outcomes, exceptions, timeout and cancel, and the hooks after each.</summary>
public sealed class HandlerRunnerSpecs
{
    private static Task<RunResult> Run(IJobHandler handler, RunRequest? request = null, TimeSpan? timeout = null,
        IRunObserver? observer = null, CancellationToken cancel = default)
    {
        var runner = new HandlerRunner(new HandlerRegistry([handler]));
        request ??= Runs.Handler(handler.Name) with { Timeout = timeout };
        return runner.RunAsync(request, observer ?? NullRunObserver.Instance, cancel).Within();
    }

    [Fact]
    public async Task Should_succeed_and_call_on_succeeded_when_the_handler_succeeds()
    {
        var handler = new ScriptedHandler("ok", (_, _) => Task.FromResult(HandlerOutcome.Success("done")));

        var result = await Run(handler);

        Assert.Equal(RunResult.Succeeded("done"), result);
        Assert.Equal([("OnSucceeded", result)], handler.Hooks);
    }

    [Fact]
    public async Task Should_give_the_handler_the_previous_runs_result_when_the_job_has_one()
    {
        var handler = new ScriptedHandler("last", (context, _) => Task.FromResult(HandlerOutcome.Success($"got {context.LastResult}")));

        var result = await Run(handler, Runs.Handler("last") with { LastResult = "cursor-7" });

        Assert.Equal("got cursor-7", result.Output);
    }

    [Fact]
    public async Task Should_fail_and_call_on_failed_when_the_handler_reports_a_failure()
    {
        var handler = new ScriptedHandler("no", (_, _) => Task.FromResult(HandlerOutcome.Failure("ledger closed", "partial")));

        var result = await Run(handler);

        Assert.Equal(RunResult.Failed("ledger closed", "partial"), result);
        Assert.Equal("OnFailed", Assert.Single(handler.Hooks).Hook);
    }

    [Fact]
    public async Task Should_fail_with_the_message_when_the_handler_throws()
    {
        var handler = new ScriptedHandler("boom", (_, _) => throw new InvalidOperationException("ledger is locked"));

        var result = await Run(handler);

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal("handler 'boom' threw InvalidOperationException: ledger is locked", result.Error);
        Assert.Equal("OnFailed", Assert.Single(handler.Hooks).Hook);
    }

    [Fact]
    public async Task Should_time_out_and_call_on_aborted_when_the_handler_overruns()
    {
        var handler = new ScriptedHandler("slow", async (_, cancel) =>
        {
            await Task.Delay(Timeout.Infinite, cancel);
            return HandlerOutcome.Success();
        });

        var result = await Run(handler, timeout: TimeSpan.FromSeconds(1));

        Assert.Equal(RunStatus.TimedOut, result.Outcome);
        Assert.Equal(("OnAborted", RunStatus.TimedOut), Assert.Single(handler.Hooks.Select(h => (h.Hook, h.Result.Outcome))));
    }

    [Fact]
    public async Task Should_time_out_when_the_handler_ignores_its_token()
    {
        using var release = new ManualResetEventSlim();
        var handler = new ScriptedHandler("stubborn", (_, _) =>
        {
            release.Wait(Runs.TestBound);
            return Task.FromResult(HandlerOutcome.Success());
        });

        var result = await Run(handler, timeout: TimeSpan.FromSeconds(1));
        release.Set();

        Assert.Equal(RunStatus.TimedOut, result.Outcome);
    }

    [Fact]
    public async Task Should_cancel_and_call_on_aborted_when_the_caller_cancels()
    {
        using var cancel = new CancellationTokenSource();
        var handler = new ScriptedHandler("waits", async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return HandlerOutcome.Success();
        });
        _ = handler.Started.Task.ContinueWith(_ => cancel.Cancel(), TaskScheduler.Default);

        var result = await Run(handler, cancel: cancel.Token);

        Assert.Equal(RunStatus.Canceled, result.Outcome);
        Assert.Equal(("OnAborted", RunStatus.Canceled), Assert.Single(handler.Hooks.Select(h => (h.Hook, h.Result.Outcome))));
    }

    [Fact]
    public async Task Should_keep_the_outcome_and_note_the_hook_when_a_hook_throws()
    {
        var handler = new ScriptedHandler("ok", (_, _) => Task.FromResult(HandlerOutcome.Success()))
        {
            HookBody = () => throw new IOException("audit log full"),
        };

        var result = await Run(handler);

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("OnSucceeded hook threw IOException: audit log full", result.Error);
    }

    [Fact]
    public async Task Should_report_progress_and_events_when_the_handler_uses_its_context()
    {
        var observer = new RecordingObserver();
        var handler = new ScriptedHandler("reports", (context, _) =>
        {
            context.Progress(1, 2);
            context.Emit("half-way", Runs.Json("""{"at":1}"""));
            return Task.FromResult(HandlerOutcome.Success());
        });

        await Run(handler, observer: observer);

        Assert.Equal([(1L, (long?)2L)], observer.Progressed);
        Assert.Equal([("half-way", (string?)"""{"at":1}""")], observer.Emitted);
    }

    [Fact]
    public async Task Should_fail_naming_the_handlers_on_offer_when_the_name_is_unknown()
    {
        var runner = new HandlerRunner(HandlerRegistry.WithBuiltIns());

        var result = await runner.RunAsync(Runs.Handler("send-invoices"), NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal("no handler named 'send-invoices' on this worker (it has: echo, noop)", result.Error);
    }

    [Fact]
    public async Task Should_succeed_at_once_when_the_handler_is_noop()
    {
        var runner = new HandlerRunner(HandlerRegistry.WithBuiltIns());

        var result = await runner.RunAsync(Runs.Handler("noop"), NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal(RunResult.Succeeded(), result);
    }

    [Fact]
    public async Task Should_echo_its_arguments_and_data_when_the_handler_is_echo()
    {
        var runner = new HandlerRunner(HandlerRegistry.WithBuiltIns());
        var request = Runs.Handler("echo", Runs.Json("1"), Runs.Json("\"two\"")) with { Data = Runs.Json("""{"customer":1234}""") };

        var result = await runner.RunAsync(request, NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal("""{"arguments":[1,"two"],"data":{"customer":1234}}""", result.Output);
        var bare = await runner.RunAsync(Runs.Handler("echo"), NullRunObserver.Instance, CancellationToken.None).Within();
        Assert.Equal("""{"arguments":[],"data":null}""", bare.Output);
    }

    [Fact]
    public void Should_refuse_a_second_handler_when_the_name_is_taken()
    {
        var registry = HandlerRegistry.WithBuiltIns();

        var error = Assert.Throws<ArgumentException>(() => registry.Register(new ScriptedHandler("echo", (_, _) => Task.FromResult(HandlerOutcome.Success()))));

        Assert.Contains("'echo' is already registered", error.Message);
        Assert.IsType<EchoHandler>(registry.TryGet("echo", out var kept) ? kept : null);
    }
}
