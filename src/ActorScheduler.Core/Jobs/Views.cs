using System.Text.Json;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>The API's JobView (docs/API.md).</summary>
/// <remarks><see cref="PendingEdit"/> (our addition) is the dated edit waiting for its time, if any. <see cref="LastRun"/> carries no output: a job's view is written into every list row and answer about the job.</remarks>
public sealed record JobView(
    string Id,
    JobStatus Status,
    bool Enabled,
    JobDefinition Definition,
    DateTimeOffset? NextDueAt,
    RunView? LastRun,
    int RunCount,
    int FailureCount,
    string? PausedReason,
    long Version,
    DateTimeOffset? UpdatedAt = null,
    PendingEdit? PendingEdit = null)
{
    public static JobView From(JobState state) => new(
        state.Id.Value, state.Status, state.Enabled, state.Definition, state.NextDueAt,
        (state.InFlight.LastOrDefault() ?? state.Recent.FirstOrDefault()) is { } last ? RunView.From(state.Id, last) : null,
        state.RunCount, state.FailureCount, state.PausedReason, state.Version, state.ChangedAt, state.PendingEdit);
}

public sealed record ProgressView(long Current, long? Max);

/// <summary>
/// The API's RunView; <c>retryOf</c>, <c>data</c> and <c>cancelRequested</c> (true while a run asked to stop has not ended
/// yet) are our additions. <see cref="Output"/> is filled only where the runs read model was asked for it.
/// </summary>
public sealed record RunView(
    string RunId,
    string JobId,
    int Attempt,
    RunStatus Status,
    RunTrigger Trigger,
    DateTimeOffset ScheduledFor,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Worker,
    int? ExitCode,
    ProgressView? Progress,
    string? Output,
    string? Error,
    long FencingToken,
    string? RetryOf,
    JsonElement? Data,
    bool CancelRequested = false)
{
    /// <param name="output">The run's recorded output, when the caller read it (the run record does not hold it).</param>
    public static RunView From(JobId job, RunRecord run, string? output = null) => new(
        run.RunId.ToString(), job.Value, run.Attempt, run.Status, run.Trigger, run.ScheduledFor, run.StartedAt,
        run.FinishedAt, run.Worker, run.ExitCode,
        run.ProgressCurrent is { } current ? new ProgressView(current, run.ProgressMax) : null,
        output, run.Error, run.FencingToken, run.RetryOf?.ToString(), run.Data, run.CancelRequested && !run.Status.IsFinished());
}
