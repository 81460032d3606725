using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client.Protocol;

// The wire contract between an embedded client and the cluster's client service. Every type here has a stable
// manifest in ClientProtocolSerializer: add fields as optional (nullable) ones, never rename or remove, and give
// a changed shape a new type and manifest.

/// <summary>Everything that travels between a client and the client service; bound to <see cref="ClientProtocolSerializer"/>.</summary>
public interface IClientProtocolMessage;

/// <summary>
/// A request answered by exactly one reply: the answer it names, <see cref="RequestRefused"/>,
/// <see cref="RequestFailed"/> or <see cref="RequestUnauthorized"/>.
/// </summary>
public interface IClientRequest : IClientProtocolMessage;

/// <summary>
/// What a client sends the cluster. <see cref="Token"/> is the cluster's API token (the gateway's bearer token,
/// <c>actor-scheduler.gateway.token</c>): a node that has one refuses a call without it (<see cref="RequestUnauthorized"/>).
/// </summary>
public abstract record ClientCall : IClientProtocolMessage
{
    /// <summary>The cluster's API token, or null for a cluster without one.</summary>
    public string? Token { get; init; }
}

/// <summary>Where the service is registered and how clients find the receptionists.</summary>
public static class ClientProtocol
{
    /// <summary>The name the client service registers with the receptionist.</summary>
    public const string ServiceName = "actor-scheduler-client-api";

    /// <summary>The path clients address with <c>ClusterClient.Send</c>.</summary>
    public const string ServicePath = "/user/" + ServiceName;

    /// <summary>Where a node's receptionist lives; a contact point is a node address plus this path.</summary>
    public const string ReceptionistPath = "/system/receptionist";
}

/// <summary>
/// POST (<paramref name="CreateOnly"/>: an existing id is a conflict) or PUT, a dated edit with a future
/// <paramref name="EffectiveAt"/>; answered with <see cref="JobAnswer"/>.
/// </summary>
public sealed record DefineJobRequest(JobDefinition Definition, bool CreateOnly, DateTimeOffset? EffectiveAt = null) : ClientCall, IClientRequest;

/// <summary>Withdraws the job's pending dated edit; answered with <see cref="JobAnswer"/>.</summary>
public sealed record DropEditRequest(JobId JobId) : ClientCall, IClientRequest;

/// <summary>Answered with <see cref="JobAnswer"/>.</summary>
public sealed record GetJobRequest(JobId JobId) : ClientCall, IClientRequest;

/// <summary>A page of the job list ordered by id; answered with <see cref="JobListAnswer"/>.</summary>
public sealed record ListJobsRequest(JobStatus? Status, string? Worker, string? Tag, int Limit, string? After) : ClientCall, IClientRequest;

/// <summary>
/// Run now, by hand, with <paramref name="Data"/> as the run's data, under <paramref name="Overlap"/> in place of the
/// job's overlap policy when given; answered with <see cref="JobAnswer"/> carrying the run id.
/// </summary>
public sealed record TriggerJobRequest(JobId JobId, JsonElement? Data, OverlapPolicy? Overlap = null) : ClientCall, IClientRequest;

/// <summary>Stops scheduling the job's occurrences, keeping <paramref name="Reason"/>; answered with <see cref="JobAnswer"/>.</summary>
public sealed record PauseJobRequest(JobId JobId, string? Reason) : ClientCall, IClientRequest;

/// <summary>Schedules a paused job again; answered with <see cref="JobAnswer"/>.</summary>
public sealed record ResumeJobRequest(JobId JobId) : ClientCall, IClientRequest;

/// <summary>Moves the next occurrence to <paramref name="At"/>; answered with <see cref="JobAnswer"/>.</summary>
public sealed record RescheduleJobRequest(JobId JobId, DateTimeOffset At) : ClientCall, IClientRequest;

/// <summary>
/// Runs the schedule's occurrences in the past range [<paramref name="From"/>, <paramref name="To"/>) with trigger backfill,
/// one after another unless <paramref name="Overlap"/> is allow; answered with <see cref="BackfillAnswer"/>.
/// </summary>
public sealed record BackfillJobRequest(JobId JobId, DateTimeOffset From, DateTimeOffset To, OverlapPolicy? Overlap) : ClientCall, IClientRequest;

/// <summary>Cancels the job for good (its history stays readable); answered with <see cref="JobAnswer"/>.</summary>
public sealed record CancelJobRequest(JobId JobId, string? Reason) : ClientCall, IClientRequest;

/// <summary>The runs the job keeps in memory, in flight first, with their outputs; answered with <see cref="RunListAnswer"/>.</summary>
public sealed record GetRunsRequest(JobId JobId) : ClientCall, IClientRequest;

/// <summary>One run, with its output once it is finished; answered with <see cref="RunAnswer"/>.</summary>
public sealed record GetRunRequest(RunId RunId) : ClientCall, IClientRequest;

/// <summary>
/// A page of the run history (of every job, or of <paramref name="JobId"/>), newest first, as <c>GET /api/v1/runs</c>
/// answers it: <paramref name="From"/> and <paramref name="To"/> bound the scheduled time, <paramref name="After"/> is
/// the previous page's next; <paramref name="WithOutput"/> false (null means true) leaves the outputs out. Answered with
/// <see cref="RunPageAnswer"/>.
/// </summary>
public sealed record ListRunsRequest(
    JobId? JobId, RunStatus? Status, string? Worker, RunTrigger? Trigger, DateTimeOffset? From, DateTimeOffset? To, int Limit, string? After,
    bool? WithOutput = null) : ClientCall, IClientRequest;

/// <summary>Cancels one run (a running process is killed); answered with <see cref="RunAnswer"/>.</summary>
public sealed record CancelRunRequest(RunId RunId, string? Reason) : ClientCall, IClientRequest;

/// <summary>A round trip that proves a service answers; answered with <see cref="PingAnswer"/>.</summary>
public sealed record PingRequest : ClientCall, IClientRequest;

/// <summary>The job after the request; <paramref name="RunId"/> is the run a trigger created.</summary>
public sealed record JobAnswer(JobView View, RunId? RunId) : IClientProtocolMessage;

/// <summary>What a backfill queued, and the job after it.</summary>
public sealed record BackfillAnswer(JobView View, BackfillQueued Queued) : IClientProtocolMessage;

/// <summary>A page of jobs; <paramref name="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record JobListAnswer(IReadOnlyList<JobView> Items, string? Next) : IClientProtocolMessage;

/// <summary>The runs a job keeps, in flight first.</summary>
public sealed record RunListAnswer(IReadOnlyList<RunView> Runs) : IClientProtocolMessage;

/// <summary>A page of runs, newest first; <paramref name="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record RunPageAnswer(IReadOnlyList<RunView> Items, string? Next) : IClientProtocolMessage;

/// <summary>One run as it is after the request.</summary>
public sealed record RunAnswer(RunView Run) : IClientProtocolMessage;

/// <summary><paramref name="Node"/> is the cluster address of the node whose service answered.</summary>
public sealed record PingAnswer(string Node) : IClientProtocolMessage;

/// <summary>The job refused the request: invalid input, unknown id, conflict or a stale report, with its reason.</summary>
public sealed record RequestRefused(RejectionKind Kind, string Message) : IClientProtocolMessage;

/// <summary>The service could not carry the request out (for instance the job did not answer in time).</summary>
public sealed record RequestFailed(string Message) : IClientProtocolMessage;

/// <summary>The call carried no token, or the wrong one, for a cluster that has an API token; nothing was done.</summary>
public sealed record RequestUnauthorized(string Message) : IClientProtocolMessage;
