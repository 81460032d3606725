using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>Canceling a run that never reached a worker: the dispatcher settles it, so it does not hang in flight.</summary>
public sealed class CancelSpecs
{
    [Fact]
    public async Task Should_end_a_run_waiting_for_a_worker_that_never_comes_as_canceled_when_it_is_canceled()
    {
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        var id = JobId.Parse("gpu-only");
        var definition = CoreJson.Deserialize<JobDefinition>("""{"id":"gpu-only","worker":"gpu-7","strictWorker":true,"run":{"handler":{"name":"noop"}}}""");
        (await engine.Jobs.Define(id, definition, createOnly: true)).Expect<JobAccepted>();
        var runId = (await engine.Jobs.Send(id, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>().NewRun!.Value;

        var asked = (await engine.Jobs.Send(id, new CancelRun(runId, "operator"))).Expect<JobAccepted>();
        var ended = await EngineFixture.Eventually(async () => (await engine.Jobs.Run(runId)).Expect<RunFound>().Run,
            run => run.Status == RunStatus.Canceled, "the waiting run to end as canceled");

        Assert.True(asked.View.LastRun is { CancelRequested: true } or { Status: RunStatus.Canceled }, $"the cancel answers with the run asked to stop: {asked.View.LastRun}");
        Assert.Equal("canceled before it was placed on a worker", ended.Error);
        Assert.False(ended.CancelRequested);
    }
}
