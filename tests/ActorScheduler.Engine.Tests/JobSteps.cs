using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>Job states built the way a job builds them: by deciding commands and applying the events.</summary>
internal static class JobSteps
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    public static readonly JobId Id = JobId.Parse("nightly");
    public const int ShardCount = 100;
    public const string Handler = """ "run":{"handler":{"name":"noop"}} """;

    /// <summary>Every hour from its definition, listening on the event "go".</summary>
    public const string Hourly = $$$"""{"id":"nightly","schedule":{"every":{"hours":1}},{{{Handler}}},"triggers":[{"event":"go"}]}""";

    /// <summary>Runs only when triggered; a failed run is tried three times in all, a second apart.</summary>
    public const string OnDemandWithRetry = $$$"""{"id":"nightly",{{{Handler}}},"retry":{"maxAttempts":3,"delay":"PT1S"}}""";

    /// <summary>Runs only when triggered, as many at once as asked.</summary>
    public const string OnDemandConcurrent = $$$"""{"id":"nightly",{{{Handler}}},"overlap":"allow"}""";

    public static readonly IReadOnlyList<string> GoKeys = [TriggerKeys.ForEvent("go")];

    public static readonly JobEntitySettings Residency = new(
        IdleTimeout: TimeSpan.FromMinutes(2), KeepAliveHorizon: TimeSpan.FromMinutes(5), SnapshotEvery: 100,
        StartJournalDelay: TimeSpan.FromMilliseconds(200), Limits: JobLimits.Default);

    /// <summary>One decided and applied command: the state before, the events and the state after.</summary>
    public sealed record Step(JobState Before, IReadOnlyList<JobEvent> Events, JobState After, DateTimeOffset Now)
    {
        public JobEffects Effects => JobEffects.After(Before, After, Events, Now, ShardCount);

        public Step Then(JobCommand command, DateTimeOffset now) => Do(After, command, now);

        public RunRecord Run(int index = 0) => After.InFlight[index];
    }

    public static Step Do(JobState state, JobCommand command, DateTimeOffset now)
    {
        var accepted = Assert.IsType<Accepted>(JobDecider.Decide(state, command, now));
        return new Step(state, accepted.Events, accepted.Events.Aggregate(state, (s, e) => s.Apply(e)), now);
    }

    public static Step Define(string json, DateTimeOffset? at = null) =>
        Do(JobState.Empty(Id), new DefineJob(CoreJson.Deserialize<JobDefinition>(json), true), at ?? T0);

    public static TriggerJob Manual => new(RunTrigger.Manual, null, "spec");

    public static ReportRunFinished Finish(RunRecord run, RunStatus outcome, string? output = null) =>
        new(run.RunId, run.FencingToken, outcome, Output: output);
}
