using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>Emitted events and completions start the jobs that list them, carrying their data (real runners).</summary>
public sealed class TriggerSpecs
{
    [Fact]
    public async Task Should_trigger_listeners_of_an_emitted_event_and_of_a_completion_with_their_data()
    {
        var runners = WorkerRunners.Create(EngineSettings.From(EngineConfig.Load()).Worker with { Name = "test-worker", AllowAnyCommand = true });
        await using var engine = await EngineFixture.StartAsync(runners);
        async Task Define(string json)
        {
            var definition = CoreJson.Deserialize<JobDefinition>(json);
            (await engine.Jobs.Define(JobId.Parse(definition.Id!), definition, true)).Expect<JobAccepted>();
        }
        await Define("""{"id":"load","triggers":[{"event":"rows-ready"}],"run":{"handler":{"name":"echo"}}}""");
        await Define("""{"id":"report","triggers":[{"job":"extract","on":"succeeded"}],"run":{"handler":{"name":"echo"}}}""");
        await Define("""{"id":"alarm","triggers":[{"job":"extract","on":"failed"}],"run":{"handler":{"name":"echo"}}}""");
        await Define("""
            {"id":"extract","run":{"shell":{"command":["bash","-c","echo '>>> scheduler.emit(\"rows-ready\", {\"rows\": 42})' >&2"]}}}
            """);

        (await engine.Jobs.Send(JobId.Parse("extract"), new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>();

        var load = await EngineFixture.Eventually(async () => (await engine.Jobs.Runs(JobId.Parse("load"))).Expect<RunsListed>().Runs,
            runs => runs.Any(r => r.Status == RunStatus.Succeeded), "the listener of rows-ready to run");
        var report = await EngineFixture.Eventually(async () => (await engine.Jobs.Runs(JobId.Parse("report"))).Expect<RunsListed>().Runs,
            runs => runs.Any(r => r.Status == RunStatus.Succeeded), "the listener of extract's success to run");
        Assert.Equal(RunTrigger.Event, load[0].Trigger);
        Assert.Contains("\"rows\":42", load[0].Output!.Replace(" ", ""));
        Assert.Contains("extract", report[0].Output);
        Assert.Empty((await engine.Jobs.Runs(JobId.Parse("alarm"))).Expect<RunsListed>().Runs);
    }
}
