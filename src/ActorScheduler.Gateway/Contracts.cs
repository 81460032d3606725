using System.Text.Json;
using System.Text.Json.Serialization;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;

namespace ActorScheduler.Gateway;

// Request and answer bodies the contract names beside JobDefinition, JobView and RunView (docs/API.md).
// They are read and written with CoreJson.Options: camelCase, strict about unknown properties.

/// <summary>
/// <c>POST /api/v1/jobs/{id}/trigger</c>: optional data handed to the run, and an optional overlap policy for this run
/// in place of the job's (<c>allow</c> runs it beside a running one, <c>bufferAll</c> queues it, …).
/// </summary>
public sealed record TriggerRequest
{
    public JsonElement? Data { get; init; }
    public OverlapPolicy? Overlap { get; init; }
}

/// <summary><c>POST /api/v1/jobs/{id}/pause</c>: an optional reason shown as the job's pausedReason.</summary>
public sealed record PauseRequest
{
    public string? Reason { get; init; }
}

/// <summary><c>POST /api/v1/jobs/{id}/reschedule</c>: the new time of the next occurrence (required).</summary>
public sealed record RescheduleRequest
{
    public DateTimeOffset? At { get; init; }
}

/// <summary>
/// <c>POST /api/v1/jobs/{id}/backfill</c>: run the schedule's occurrences in [from, to), both required, to at most now;
/// <c>overlap</c> absent, <c>bufferOne</c>, <c>bufferAll</c> or <c>skip</c> runs them one after another, <c>allow</c> all at once.
/// </summary>
public sealed record BackfillRequest
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public OverlapPolicy? Overlap { get; init; }
}

/// <summary>The answer to a backfill: how many runs it queued, and the occurrences of the first and the last.</summary>
public sealed record BackfillAccepted(int Count, DateTimeOffset First, DateTimeOffset Last);

/// <summary>
/// <c>POST /api/v1/schedules/preview</c>: <c>from</c> defaults to now, <c>count</c> to 10 (at most 1000). Besides
/// <c>schedule</c>, a job's <c>schedules</c>, <c>exclude</c> and <c>jitter</c> (with its <c>jobId</c>, which the jitter
/// derives from) are previewed as the job will run them.
/// </summary>
public sealed record PreviewRequest
{
    public ScheduleSpec? Schedule { get; init; }
    public IReadOnlyList<ScheduleSpec>? Schedules { get; init; }
    public IReadOnlyList<ExcludeSpec>? Exclude { get; init; }
    public TimeSpan? Jitter { get; init; }
    public string? JobId { get; init; }
    public DateTimeOffset? From { get; init; }
    public int? Count { get; init; }
}

public sealed record TriggerAccepted(string RunId);

/// <summary>A page of jobs; <see cref="Next"/> is written even when null, as the contract shows it.</summary>
public sealed record JobList(
    IReadOnlyList<JobView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>A page of runs, newest first; <see cref="Next"/> (the following page's <c>after</c>) is written even when null.</summary>
public sealed record RunList(
    IReadOnlyList<RunView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next = null);

/// <summary>One journaled event of a job: its sequence number, type, time and payload.</summary>
public sealed record HistoryItem(long Seq, string Type, DateTimeOffset At, JsonElement? Data);

/// <summary>A page of a job's events; <paramref name="Next"/> is the sequence number the next page starts at (null: the end).</summary>
public sealed record HistoryList(
    IReadOnlyList<HistoryItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Next);

/// <summary>The occurrences; <paramref name="Note"/> says why fewer than asked came, when the exclusion search gave up.</summary>
public sealed record PreviewResult(IReadOnlyList<DateTimeOffset> Occurrences, string? Note = null);

/// <summary>The body of <c>/healthz</c> and <c>/readyz</c> when they answer 200.</summary>
public sealed record HealthStatus(string Status);

/// <summary>
/// A job's trigger links: <paramref name="TriggeredBy"/> are its own triggers (a job and the outcome it waits for, or
/// an event name); <paramref name="Triggers"/> are the jobs whose triggers name it.
/// </summary>
public sealed record JobLinks(IReadOnlyList<JobTriggerLink> TriggeredBy, IReadOnlyList<JobLink> Triggers);

/// <summary>One trigger of a job: another job's outcome (<paramref name="Job"/>, <paramref name="On"/>) or an <paramref name="Event"/>.</summary>
public sealed record JobTriggerLink(string? Job, string? Event, string? On);
