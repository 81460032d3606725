using System.Collections.Immutable;
using System.Text.Json;
using ActorScheduler.Client.Protocol;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using Akka.Actor;
using Akka.Cluster.Tools.Client;

namespace ActorScheduler.Client;

/// <summary>
/// An application's handle on an ActorScheduler cluster, without joining it: requests go through a
/// <c>ClusterClient</c> to the receptionist of a gateway or scheduler node, which passes them to the client
/// service there. The client keeps its own small actor system; when its node dies it moves to another one it
/// has learnt of, and re-registers its waits and subscriptions there.
/// </summary>
/// <remarks>
/// Every call is async and honours its cancellation token. Refusals arrive as <see cref="RequestRefusedException"/>
/// subclasses carrying the server's explanation; no answer at all is a <see cref="SchedulerUnavailableException"/>
/// naming the contact points.
/// </remarks>
public sealed partial class ActorSchedulerClient : IAsyncDisposable
{
    private readonly ActorSchedulerClientOptions _options;
    private readonly ActorSystem _system;
    private readonly IActorRef _clusterClient;
    private readonly IActorRef _outcomes;
    private int _disposed;

    /// <summary>
    /// Starts the client's actor system and its ClusterClient; nothing is sent until the first call (see
    /// <see cref="ConnectAsync"/> for a client that proves the cluster answers).
    /// </summary>
    public ActorSchedulerClient(ActorSchedulerClientOptions options)
    {
        _options = options;
        var contacts = options.ReceptionistPaths();
        _system = ActorSystem.Create(options.SystemName, ClientConfig.Setup(options));
        var settings = ClusterClientSettings.Create(_system).WithInitialContacts(contacts.ToImmutableHashSet());
        _clusterClient = _system.ActorOf(ClusterClient.Props(settings), "cluster-client");
        _outcomes = _system.ActorOf(OutcomeListener.Props(_clusterClient, options.KeepAliveInterval, options.Token), "outcomes");
    }

    /// <summary>Creates a client and makes one round trip, so a wrong address fails here rather than on first use.</summary>
    public static async Task<ActorSchedulerClient> ConnectAsync(ActorSchedulerClientOptions options, CancellationToken cancel = default)
    {
        var client = new ActorSchedulerClient(options);
        try
        {
            await client.PingAsync(cancel);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The contact points the client was given (<see cref="ActorSchedulerClientOptions.ContactPoints"/>).</summary>
    public IReadOnlyList<string> ContactPoints => _options.ContactPoints;

    /// <summary>One round trip; answers the cluster address of the node that served it.</summary>
    public async Task<string> PingAsync(CancellationToken cancel = default) =>
        (await RequestAsync<PingAnswer>(new PingRequest(), cancel)).Node;

    /// <summary>POST: creates the job; an existing id is a <see cref="JobConflictException"/>.</summary>
    public Task<JobView> CreateAsync(JobDefinition definition, CancellationToken cancel = default) => DefineAsync(definition, createOnly: true, cancel);

    /// <summary>PUT: creates the job or replaces its definition (its history is kept; a canceled job is revived).</summary>
    public Task<JobView> ReplaceAsync(JobDefinition definition, CancellationToken cancel = default) => DefineAsync(definition, createOnly: false, cancel);

    /// <summary>
    /// A dated edit: <paramref name="definition"/> replaces the job's at <paramref name="effectiveAt"/> (now, when that has
    /// passed); until then the job goes on unchanged and its view shows the edit as <see cref="JobView.PendingEdit"/>.
    /// </summary>
    public Task<JobView> ReplaceAtAsync(JobDefinition definition, DateTimeOffset effectiveAt, CancellationToken cancel = default) =>
        DefineAsync(definition, createOnly: false, cancel, effectiveAt);

    /// <summary>Withdraws the job's pending dated edit; none is a <see cref="JobNotFoundException"/>.</summary>
    public async Task<JobView> DropPendingEditAsync(JobId id, CancellationToken cancel = default) =>
        (await RequestAsync<JobAnswer>(new DropEditRequest(id), cancel)).View;

    /// <summary>The job as it is now; an unknown id is a <see cref="JobNotFoundException"/>.</summary>
    public async Task<JobView> GetAsync(JobId id, CancellationToken cancel = default) =>
        (await RequestAsync<JobAnswer>(new GetJobRequest(id), cancel)).View;

    /// <summary>A page of jobs ordered by id, from the node's index (it follows the jobs by milliseconds).</summary>
    public async Task<JobListPage> ListAsync(JobListFilter? filter = null, CancellationToken cancel = default)
    {
        filter ??= new JobListFilter();
        var answer = await RequestAsync<JobListAnswer>(
            new ListJobsRequest(filter.Status, filter.Worker, filter.Tag, filter.Limit, filter.After?.Value), cancel);
        return new JobListPage(answer.Items, answer.Next);
    }

    /// <summary>Runs the job now with <paramref name="data"/> as the run's data; answers the new run's id.</summary>
    public Task<RunId> TriggerAsync(JobId id, JsonElement? data = null, CancellationToken cancel = default) =>
        Trigger(new TriggerJobRequest(id, data), cancel);

    /// <summary>Runs the job now under <paramref name="overlap"/> in place of its own overlap policy (allow: beside a running run).</summary>
    public Task<RunId> TriggerAsync(JobId id, JsonElement? data, OverlapPolicy overlap, CancellationToken cancel = default) =>
        Trigger(new TriggerJobRequest(id, data, overlap), cancel);

    private async Task<RunId> Trigger(TriggerJobRequest request, CancellationToken cancel)
    {
        var answer = await RequestAsync<JobAnswer>(request, cancel);
        return answer.RunId ?? throw new ActorSchedulerException($"Job '{request.JobId}' accepted the trigger but named no run.");
    }

    /// <summary>Stops scheduling the job's occurrences until it is resumed; runs in flight go on. <paramref name="reason"/> is kept with it.</summary>
    public async Task<JobView> PauseAsync(JobId id, string? reason = null, CancellationToken cancel = default) =>
        (await RequestAsync<JobAnswer>(new PauseJobRequest(id, reason), cancel)).View;

    /// <summary>Schedules a paused job again from its next occurrence.</summary>
    public async Task<JobView> ResumeAsync(JobId id, CancellationToken cancel = default) =>
        (await RequestAsync<JobAnswer>(new ResumeJobRequest(id), cancel)).View;

    /// <summary>Moves the next occurrence to <paramref name="at"/> (which must not be in the past).</summary>
    public async Task<JobView> RescheduleAsync(JobId id, DateTimeOffset at, CancellationToken cancel = default) =>
        (await RequestAsync<JobAnswer>(new RescheduleJobRequest(id, at), cancel)).View;

    /// <summary>
    /// Runs the schedule's occurrences in the past range [<paramref name="from"/>, <paramref name="to"/>) with trigger
    /// backfill: one after another, or all at once with <see cref="OverlapPolicy.Allow"/> (docs/API.md, "Backfill").
    /// </summary>
    public async Task<BackfillQueued> BackfillAsync(JobId id, DateTimeOffset from, DateTimeOffset to, OverlapPolicy? overlap = null, CancellationToken cancel = default) =>
        (await RequestAsync<BackfillAnswer>(new BackfillJobRequest(id, from, to, overlap), cancel)).Queued;

    /// <summary>Cancels the job for good (runs in flight are stopped); its history stays readable.</summary>
    public async Task<JobView> CancelAsync(JobId id, string? reason = null, CancellationToken cancel = default) =>
        (await RequestAsync<JobAnswer>(new CancelJobRequest(id, reason), cancel)).View;

    /// <summary>
    /// The runs the job keeps in memory: those in flight, then its most recent finished ones (at most 50), with their
    /// outputs. For its whole history, page with <see cref="ListRunsAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<RunView>> GetRunsAsync(JobId id, CancellationToken cancel = default) =>
        (await RequestAsync<RunListAnswer>(new GetRunsRequest(id), cancel)).Runs;

    /// <summary>
    /// A page of the run history, newest first (by scheduled time), of every job or of the filter's job, from the node's
    /// runs read model: it follows the jobs by milliseconds and holds runs long after their jobs stopped keeping them.
    /// Pass the page's <see cref="RunListPage.Next"/> as the next filter's <see cref="RunListFilter.After"/>.
    /// </summary>
    public async Task<RunListPage> ListRunsAsync(RunListFilter? filter = null, CancellationToken cancel = default)
    {
        filter ??= new RunListFilter();
        var answer = await RequestAsync<RunPageAnswer>(new ListRunsRequest(filter.JobId, filter.Status, filter.Worker, filter.Trigger,
            filter.From, filter.To, filter.Limit, filter.After, filter.WithOutput), cancel);
        return new RunListPage(answer.Items, answer.Next);
    }

    /// <summary>One run as it is now, with its output once it is finished; an unknown run is a <see cref="JobNotFoundException"/>.</summary>
    public async Task<RunView> GetRunAsync(RunId runId, CancellationToken cancel = default) =>
        (await RequestAsync<RunAnswer>(new GetRunRequest(runId), cancel)).Run;

    /// <summary>Cancels one run; a running process is killed by its worker, which then reports the run canceled.</summary>
    public async Task<RunView> CancelRunAsync(RunId runId, string? reason = null, CancellationToken cancel = default) =>
        (await RequestAsync<RunAnswer>(new CancelRunRequest(runId, reason), cancel)).Run;

    /// <summary>
    /// Waits until the run is over for good and answers its outcome: status, output and error. A failed attempt
    /// that the job's retry policy repeats is not the end: the answer is then the last attempt's view. A run that
    /// had already finished is answered at once.
    /// </summary>
    /// <exception cref="TimeoutException">The run did not finish within <paramref name="timeout"/>.</exception>
    /// <exception cref="JobNotFoundException">The run or its job does not exist.</exception>
    public async Task<RunView> WaitForRunAsync(RunId runId, TimeSpan timeout, CancellationToken cancel = default)
    {
        ThrowIfDisposed();
        var result = new TaskCompletionSource<RunView>(TaskCreationOptions.RunContinuationsAsynchronously);
        _outcomes.Tell(new OutcomeListener.AwaitRun(runId, result));
        try
        {
            return await result.Task.WaitAsync(timeout, cancel);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Run '{runId}' did not finish within {timeout}; it may still finish later (see GetRunAsync).");
        }
        finally
        {
            if (!result.Task.IsCompleted)
                _outcomes.Tell(new OutcomeListener.ForgetRun(runId, result));
        }
    }

    /// <summary>
    /// Streams the job's runs as they finish for good, from the moment this call returns: by then the cluster
    /// holds the subscription, so a run triggered afterwards is seen. Dispose the subscription to end it.
    /// </summary>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    public async Task<RunSubscription> SubscribeAsync(JobId jobId, CancellationToken cancel = default)
    {
        await GetAsync(jobId, cancel);
        var subscription = new RunSubscription(jobId, ended => _outcomes.Tell(new OutcomeListener.Unsubscribe(ended)));
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _outcomes.Tell(new OutcomeListener.Subscribe(subscription, registered));
        try
        {
            await registered.Task.WaitAsync(_options.RequestTimeout, cancel);
            return subscription;
        }
        catch (TimeoutException e)
        {
            await subscription.DisposeAsync();
            throw Unavailable(e);
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the client's actor system; waits and subscriptions end with it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _system.Terminate();
    }

    private async Task<JobView> DefineAsync(JobDefinition definition, bool createOnly, CancellationToken cancel, DateTimeOffset? effectiveAt = null)
    {
        // Checked here as well as in the job: the answer names every bad field and costs no round trip.
        var errors = JobDefinitionValidator.Validate(definition, requireId: true);
        if (errors.Count > 0)
            throw new InvalidJobException($"The job definition is invalid: {string.Join(" ", errors)}", errors.Select(e => e.ToString()).ToList());
        return (await RequestAsync<JobAnswer>(new DefineJobRequest(definition, createOnly, effectiveAt), cancel)).View;
    }

    private async Task<TAnswer> RequestAsync<TAnswer>(ClientCall request, CancellationToken cancel) where TAnswer : IClientProtocolMessage
    {
        ThrowIfDisposed();
        object reply;
        try
        {
            var call = request with { Token = _options.Token };
            reply = await _clusterClient.Ask<object>(new ClusterClient.Send(ClientProtocol.ServicePath, call, localAffinity: true), _options.RequestTimeout, cancel);
        }
        catch (AskTimeoutException e)
        {
            throw Unavailable(e);
        }
        return reply switch
        {
            TAnswer answer => answer,
            RequestRefused refused => throw RequestRefusedException.From(refused),
            RequestFailed failed => throw new ActorSchedulerException(failed.Message),
            RequestUnauthorized unauthorized => throw new UnauthorizedException(unauthorized.Message),
            _ => throw new ActorSchedulerException($"The cluster answered {request.GetType().Name} with an unexpected {reply.GetType().Name}."),
        };
    }

    private SchedulerUnavailableException Unavailable(Exception cause) => new(
        $"No ActorScheduler node answered within {_options.RequestTimeout.TotalSeconds:0.#} s (contact points: {string.Join(", ", _options.ContactPoints)}). " +
        "Check that a gateway or scheduler node runs at one of them with a fixed cluster port, and that it can reach " +
        $"this client at {_options.PublicHostname ?? _options.Hostname}.",
        _options.ContactPoints, cause);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}

/// <summary>Which jobs <see cref="ActorSchedulerClient.ListAsync"/> answers; <see cref="After"/> is the previous page's cursor.</summary>
public sealed record JobListFilter(JobStatus? Status = null, string? Worker = null, string? Tag = null, int Limit = 100, JobId? After = null);

/// <summary>A page of jobs; <see cref="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record JobListPage(IReadOnlyList<JobView> Items, string? Next);

/// <summary>
/// Which runs <see cref="ActorSchedulerClient.ListRunsAsync"/> answers: each filter given narrows the page; <see cref="From"/>
/// and <see cref="To"/> bound the scheduled time, [From, To); <see cref="After"/> is the previous page's cursor;
/// <see cref="WithOutput"/> false leaves the runs' outputs out (lighter pages when they are not shown).
/// </summary>
public sealed record RunListFilter(
    JobId? JobId = null, RunStatus? Status = null, string? Worker = null, RunTrigger? Trigger = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, int Limit = 100, string? After = null, bool WithOutput = true);

/// <summary>A page of runs, newest first; <see cref="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record RunListPage(IReadOnlyList<RunView> Items, string? Next);
