using System.Text;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests.LiveOutput;

/// <summary>
/// Reading a run's output while it runs, as the gateway does: a whole node (its worker's runner wrapped for live
/// output, its <c>/user/live-output</c> started), asked by worker name through <see cref="RunOutputs"/>.
/// </summary>
public sealed class RunOutputsSpecs
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_read_a_runs_output_while_it_runs_and_its_tail_after_it_ended_when_asked_by_worker_name()
    {
        var runner = new PrintingRunner();
        await using var engine = await EngineFixture.StartAsync(runner);
        var outputs = new RunOutputs(engine.Host.System, AskTimeout);
        var id = JobId.Parse("printer");
        var definition = CoreJson.Deserialize<JobDefinition>("""{"id":"printer","run":{"handler":{"name":"noop"}}}""");
        (await engine.Jobs.Define(id, definition, createOnly: true)).Expect<JobAccepted>();
        var runId = (await engine.Jobs.Send(id, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>().NewRun!.Value;

        var whileRunning = await EngineFixture.Eventually(() => outputs.Read("test-worker", runId, 0, CancellationToken.None),
            chunk => chunk.Text.Length > 0, "the run's first line on its worker");
        runner.Release();
        var text = new StringBuilder(whileRunning.Text);
        var next = whileRunning.Next;
        await EngineFixture.Eventually(async () =>
        {
            var chunk = await outputs.Read("test-worker", runId, next, CancellationToken.None);
            if (chunk is { Known: true })
            {
                text.Append(chunk.Text);
                next = chunk.Next;
            }
            return chunk;
        }, chunk => chunk is { Known: true, Running: false }, "the run's end on its worker");

        Assert.Equal(new LiveOutputChunk(runId, true, "first\n", 6, true, 0, false), whileRunning);
        Assert.Equal("first\nsecond\n", text.ToString());
        Assert.Equal(13, next);
    }

    [Fact]
    public async Task Should_answer_nothing_when_no_member_is_that_worker_and_unknown_when_the_worker_never_ran_the_run()
    {
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        var outputs = new RunOutputs(engine.Host.System, AskTimeout);
        var runId = new RunId(JobId.Parse("never-ran"), 1);

        var noWorker = await outputs.Read("no-such-worker", runId, 0, CancellationToken.None);
        var unknown = await outputs.Read("test-worker", runId, 0, CancellationToken.None);

        Assert.Null(noWorker);
        Assert.Equal(LiveOutputChunk.Unknown(runId, 0), unknown);
    }
}
