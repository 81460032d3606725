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

    [Fact]
    public async Task Should_refuse_a_definition_whose_job_triggers_would_close_a_cycle()
    {
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        async Task<JobReply> Define(string json)
        {
            var definition = CoreJson.Deserialize<JobDefinition>(json);
            return await engine.Jobs.Define(JobId.Parse(definition.Id!), definition, createOnly: true);
        }
        (await Define("""{"id":"b","triggers":[{"job":"a","on":"completed"}],"run":{"handler":{"name":"noop"}}}""")).Expect<JobAccepted>();

        var mutual = await Define("""{"id":"a","triggers":[{"job":"b","on":"succeeded"}],"run":{"handler":{"name":"noop"}}}""");
        var self = await Define("""{"id":"c","triggers":[{"event":"go"},{"job":"c","on":"completed"}],"run":{"handler":{"name":"noop"}}}""");

        var refused = mutual.Expect<JobRefused>();
        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.Contains("triggers[0].job", refused.Message);
        Assert.Contains("'a' → 'b' → 'a'", refused.Message);
        Assert.Contains("triggers[1].job", self.Expect<JobRefused>().Message);
        Assert.Equal(RejectionKind.NotFound, (await engine.Jobs.Get(JobId.Parse("a"))).Expect<JobRefused>().Kind);
    }

    [Fact]
    public async Task Should_stop_a_job_that_triggers_itself_through_its_own_events_at_the_chain_limit_and_record_why()
    {
        var runners = WorkerRunners.Create(EngineSettings.From(EngineConfig.Load()).Worker with { Name = "test-worker", AllowAnyCommand = true });
        await using var engine = await EngineFixture.StartAsync(runners, extraHocon: "actor-scheduler.scheduler.max-chain-depth = 3");
        var loop = CoreJson.Deserialize<JobDefinition>("""
            {"id":"echo-loop","triggers":[{"event":"again"}],"overlap":"bufferOne",
             "run":{"shell":{"command":["bash","-c","echo depth=$SCHEDULER_CHAIN_DEPTH; echo '>>> scheduler.emit(\"again\")' >&2"]}}}
            """);
        (await engine.Jobs.Define(JobId.Parse("echo-loop"), loop, createOnly: true)).Expect<JobAccepted>();

        (await engine.Jobs.Send(JobId.Parse("echo-loop"), new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>();

        // The manual run (depth 0) and three triggered ones (depths 1 to 3); the fourth trigger is refused.
        static bool RefusedForDepth(HistoryEntry e) =>
            e.Type == "runs-skipped" && (e.Data?.GetProperty("reason").GetString() ?? "").Contains("chain");
        await EngineFixture.Eventually(() => engine.Jobs.History(JobId.Parse("echo-loop")),
            h => h.Any(RefusedForDepth), "the fourth trigger of the loop to be refused and recorded");
        var runs = await EngineFixture.Eventually(
            async () => (await engine.Jobs.Runs(JobId.Parse("echo-loop"))).Expect<RunsListed>().Runs,
            r => r.Count == 4 && r.All(run => run.Status == RunStatus.Succeeded), "all four runs of the chain to succeed");
        Assert.Equal(["depth=0", "depth=1", "depth=2", "depth=3"], runs.Select(r => r.Output?.Trim()).Order());
        Assert.Equal(4, runs.Count);
    }
}
