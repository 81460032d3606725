using ActorScheduler.Client.Protocol;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// One client request carried out on <see cref="JobService"/>, as the HTTP endpoints do for theirs, and turned
/// into exactly one answer. Nothing escapes as an exception: the client always hears back.
/// </summary>
public static class ClientRequests
{
    /// <summary>The <c>source</c> a manual trigger from a client is journaled with.</summary>
    public const string TriggerSource = "client";

    private const string CancelReason = "canceled by a client";

    public static async Task<IClientProtocolMessage> Execute(JobService jobs, IClientRequest request)
    {
        Security.ChangeAuthor.Set("embedded-client");
        try
        {
            return request switch
            {
                DefineJobRequest r => await Define(jobs, r),
                GetJobRequest r => Job(await jobs.Get(r.JobId)),
                ListJobsRequest r => await List(jobs, r),
                TriggerJobRequest r => Job(await jobs.Send(r.JobId, new TriggerJob(RunTrigger.Manual, r.Data, TriggerSource, Overlap: r.Overlap))),
                PauseJobRequest r => Job(await jobs.Send(r.JobId, new PauseJob(r.Reason))),
                ResumeJobRequest r => Job(await jobs.Send(r.JobId, new ResumeJob())),
                DropEditRequest r => Job(await jobs.Send(r.JobId, new DropEdit())),
                RescheduleJobRequest r => Job(await jobs.Send(r.JobId, new RescheduleJob(r.At))),
                BackfillJobRequest r => Answer<JobAccepted>(await jobs.Send(r.JobId, new BackfillJob(r.From, r.To, r.Overlap)),
                    accepted => new BackfillAnswer(accepted.View, accepted.Backfill ?? new BackfillQueued(0, r.From, r.From))),
                CancelJobRequest r => Job(await jobs.Send(r.JobId, new CancelJob(r.Reason ?? CancelReason))),
                GetRunsRequest r => Answer<RunsListed>(await jobs.Runs(r.JobId), listed => new RunListAnswer(listed.Runs)),
                GetRunRequest r => Run(await jobs.RunDetail(r.RunId)),
                ListRunsRequest r => await ListRuns(jobs, r),
                CancelRunRequest r => await CancelRun(jobs, r),
                IQueueRequest r => await QueueRequests.Execute(jobs, r),
                IBoardRequest r => await BoardRequests.Execute(jobs, r),
                _ => new RequestFailed($"This node does not handle {request.GetType().Name}; is the client newer than the cluster?"),
            };
        }
        catch (AskTimeoutException)
        {
            return new RequestFailed($"The job did not answer {Describe(request)} in time; the scheduler nodes may be overloaded or restarting.");
        }
        catch (Exception e)
        {
            return new RequestFailed($"The node could not carry out {Describe(request)}: {e.Message}");
        }
    }

    private static async Task<IClientProtocolMessage> Define(JobService jobs, DefineJobRequest request)
    {
        if (!JobId.IsValid(request.Definition.Id))
            return new RequestRefused(RejectionKind.Invalid, $"id: {JobId.Problem(request.Definition.Id)}");
        return Job(await jobs.Define(JobId.Parse(request.Definition.Id!), request.Definition, request.CreateOnly, effectiveAt: request.EffectiveAt));
    }

    private static async Task<IClientProtocolMessage> List(JobService jobs, ListJobsRequest request)
    {
        // The cursor is the last id of the previous page.
        if (request.After is { } after && !JobId.IsValid(after))
            return new RequestRefused(RejectionKind.Invalid, $"after: {JobId.Problem(after)}");
        var page = await jobs.List(new JobListQuery(request.Status, request.Worker, request.Tag, request.Limit,
            request.After is null ? null : JobId.Parse(request.After)));
        return new JobListAnswer(page.Items, page.Next);
    }

    private static async Task<IClientProtocolMessage> ListRuns(JobService jobs, ListRunsRequest request)
    {
        // The cursor is the previous page's next, as the HTTP API hands it out.
        RunCursor? after = null;
        if (request.After is { } text)
        {
            if (!RunCursor.TryParse(text, out var cursor))
                return new RequestRefused(RejectionKind.Invalid, $"after: '{text}' is not a cursor a page of runs gave (its next).");
            after = cursor;
        }
        if (request is { From: { } from, To: { } to } && to <= from)
            return new RequestRefused(RejectionKind.Invalid, $"to: must be after from ({from:O}).");
        var page = await jobs.ListRuns(new RunListQuery(request.JobId, request.Status, request.Worker, request.Trigger, request.From, request.To,
            request.Limit, after, request.WithOutput ?? true));
        return new RunPageAnswer(page.Items, page.Next);
    }

    /// <summary>The run as it is after the cancel was recorded (a running one ends once its worker has killed it).</summary>
    private static async Task<IClientProtocolMessage> CancelRun(JobService jobs, CancelRunRequest request)
    {
        var canceled = await jobs.Send(request.RunId.Job, new Core.Jobs.CancelRun(request.RunId, request.Reason ?? CancelReason));
        return canceled is JobRefused refused ? Refused(refused) : Run(await jobs.RunDetail(request.RunId));
    }

    private static IClientProtocolMessage Job(JobReply reply) => reply switch
    {
        JobAccepted accepted => new JobAnswer(accepted.View, accepted.NewRun),
        JobFound found => new JobAnswer(found.View, null),
        _ => Unexpected(reply),
    };

    private static IClientProtocolMessage Run(JobReply reply) => Answer<RunFound>(reply, found => new RunAnswer(found.Run));

    private static IClientProtocolMessage Answer<T>(JobReply reply, Func<T, IClientProtocolMessage> answer) where T : JobReply =>
        reply is T expected ? answer(expected) : Unexpected(reply);

    private static IClientProtocolMessage Unexpected(JobReply reply) => reply is JobRefused refused
        ? Refused(refused)
        : new RequestFailed($"The job answered with {reply.GetType().Name}, which this request does not expect.");

    private static RequestRefused Refused(JobRefused refused) => new(refused.Kind, refused.Message);

    private static string Describe(IClientRequest request) => request.GetType().Name.Replace("Request", "", StringComparison.Ordinal);
}
