using System.Diagnostics;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;
using static ActorScheduler.Engine.Telemetry.EngineTracing;

namespace ActorScheduler.Engine.Tests.Telemetry;

/// <summary>
/// A run's trace on a whole engine: dispatch (the job) → run (the worker) → outcome (the job), and a run triggered by
/// another's completion or emitted event in a trace of its own that links to its cause.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class RunTracingSpecs
{
    [Fact]
    public async Task Should_trace_dispatch_run_and_outcome_of_each_run_and_link_a_triggered_run_to_the_outcome_that_triggered_it()
    {
        using var spans = new SpanRecorder();
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        await Define(engine, """{"id":"traced-report","triggers":[{"job":"traced-extract","on":"succeeded"}],"run":{"handler":{"name":"noop"}}}""");
        await Define(engine, """{"id":"traced-extract","run":{"handler":{"name":"noop"}}}""");

        (await engine.Jobs.Send(JobId.Parse("traced-extract"), new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>();

        var extract = await spans.Await("traced-extract", DispatchSpan, RunSpan, OutcomeSpan);
        var report = await spans.Await("traced-report", DispatchSpan, RunSpan, OutcomeSpan);
        AssertOneTrace(extract);
        AssertOneTrace(report);
        Assert.True(extract[DispatchSpan].ParentSpanId == default, "a run dispatched by hand starts a trace of its own");
        Assert.Empty(extract[DispatchSpan].Links);
        var link = Assert.Single(report[DispatchSpan].Links);
        Assert.Equal((extract[OutcomeSpan].TraceId, extract[OutcomeSpan].SpanId), (link.Context.TraceId, link.Context.SpanId));
        Assert.NotEqual(extract[DispatchSpan].TraceId, report[DispatchSpan].TraceId);

        var run = extract[RunSpan];
        Assert.Equal("test-worker", run.GetTagItem(WorkerTag));
        Assert.Equal(1, run.GetTagItem(AttemptTag));
        Assert.Equal("manual", run.GetTagItem(TriggerTag));
        Assert.Equal("succeeded", run.GetTagItem(StatusTag));
        Assert.IsType<long>(run.GetTagItem(FencingTokenTag));
        Assert.Equal(extract[DispatchSpan].GetTagItem(RunIdTag), run.GetTagItem(RunIdTag));
        Assert.Equal(extract[DispatchSpan].GetTagItem(FencingTokenTag), run.GetTagItem(FencingTokenTag));
        Assert.Equal("succeeded", extract[OutcomeSpan].GetTagItem(StatusTag));
        Assert.Equal("test-worker", extract[OutcomeSpan].GetTagItem(WorkerTag));
        Assert.Equal(("event", 1), ((string?)report[DispatchSpan].GetTagItem(TriggerTag), (int?)report[DispatchSpan].GetTagItem(ChainDepthTag)));
        Assert.Equal([ActivityKind.Producer, ActivityKind.Consumer, ActivityKind.Consumer],
            new[] { DispatchSpan, RunSpan, OutcomeSpan }.Select(name => extract[name].Kind));
    }

    [Fact]
    public async Task Should_link_a_run_triggered_by_an_emitted_event_to_the_run_span_that_emitted_it_and_record_the_exit_code()
    {
        using var spans = new SpanRecorder();
        var runners = WorkerRunners.Create(EngineSettings.From(EngineConfig.Load()).Worker with { Name = "test-worker", AllowAnyCommand = true });
        await using var engine = await EngineFixture.StartAsync(runners);
        await Define(engine, """{"id":"traced-loader","triggers":[{"event":"traced-rows"}],"run":{"handler":{"name":"echo"}}}""");
        await Define(engine, """
            {"id":"traced-emitter","run":{"shell":{"command":["bash","-c","echo '>>> scheduler.emit(\"traced-rows\")' >&2; exit 3"]}}}
            """);

        (await engine.Jobs.Send(JobId.Parse("traced-emitter"), new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>();

        var emitter = await spans.Await("traced-emitter", DispatchSpan, RunSpan, OutcomeSpan);
        var loader = await spans.Await("traced-loader", DispatchSpan, RunSpan, OutcomeSpan);
        AssertOneTrace(emitter);
        AssertOneTrace(loader);
        var link = Assert.Single(loader[DispatchSpan].Links);
        Assert.Equal((emitter[RunSpan].TraceId, emitter[RunSpan].SpanId), (link.Context.TraceId, link.Context.SpanId));
        Assert.Equal(3, emitter[RunSpan].GetTagItem(ExitCodeTag));
        Assert.Equal("failed", emitter[RunSpan].GetTagItem(StatusTag));
        Assert.Equal(ActivityStatusCode.Error, emitter[RunSpan].Status);
        Assert.Equal(ActivityStatusCode.Error, emitter[OutcomeSpan].Status);
        Assert.Equal("succeeded", loader[OutcomeSpan].GetTagItem(StatusTag));
    }

    [Fact]
    public void Should_make_no_span_and_carry_no_trace_context_when_nobody_listens()
    {
        var book = new RunBook("w1");
        var job = JobId.Parse("untraced");
        var run = new DispatchRun(new RunRequest(job, new RunId(job, 1), 1, 1, DateTimeOffset.UnixEpoch,
            new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } }, null, null), null, null, false);

        var started = Assert.IsType<Started>(book.Start(run, ActorRefs.Nobody, DateTimeOffset.UnixEpoch));
        var (_, report) = book.Finish(run.RunId, RunResult.Succeeded())!.Value;

        Assert.False(Enabled, "no listener may be left over from another spec");
        Assert.Null(started.Run.Span);
        Assert.Null(Assert.IsType<JobRequest>(report.Message).TraceParent);
        Assert.Null(Start(RunSpan, ActivityKind.Internal, default, []));
    }

    /// <summary>dispatch → run → outcome, each the parent of the next, in one trace.</summary>
    private static void AssertOneTrace(IReadOnlyDictionary<string, Activity> spans)
    {
        var (dispatch, run, outcome) = (spans[DispatchSpan], spans[RunSpan], spans[OutcomeSpan]);
        Assert.Equal(dispatch.SpanId, run.ParentSpanId);
        Assert.Equal(run.SpanId, outcome.ParentSpanId);
        Assert.Equal([dispatch.TraceId, dispatch.TraceId], new[] { run.TraceId, outcome.TraceId });
        foreach (var span in new[] { dispatch, run, outcome })
            Assert.Equal(dispatch.GetTagItem(RunIdTag), span.GetTagItem(RunIdTag));
    }

    private static async Task Define(EngineFixture engine, string json)
    {
        var definition = CoreJson.Deserialize<JobDefinition>(json);
        (await engine.Jobs.Define(JobId.Parse(definition.Id!), definition, true)).Expect<JobAccepted>();
    }
}
