using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;

namespace ActorScheduler.Engine;

/// <summary>
/// The engine as the gateway (and embedded callers) see it: async calls that become messages to job entities
/// through the shard region, plus the index-backed list and the journal-backed history.
/// </summary>
/// <param name="jobs">The job shard region, or its proxy.</param>
/// <param name="index">The job index; null on nodes without a database (workers).</param>
/// <param name="creator">The job creator (local, or a router to the scheduler nodes' creators).</param>
public sealed class JobService(ActorSystem system, IActorRef jobs, IndexTables? index, TimeSpan askTimeout, IActorRef creator)
{
    public const int MaxPageSize = 500;

    /// <summary>The outputs of finished runs, from the runs read model; null on a node without a database.</summary>
    private readonly RecordedOutputs? _outputs = index is null ? null : new RecordedOutputs(index.Runs, system.Log);

    /// <summary>How many jobs have each status (from the index); empty on a node without a database.</summary>
    public IReadOnlyDictionary<string, long> CountByStatus() => index?.CountByStatus() ?? new Dictionary<string, long>();

    /// <summary>The work queues, in the same database; null on a node without a database.</summary>
    public Queues.WorkQueues? Queues { get; } = index is null ? null : Engine.Queues.WorkQueues.Of(system);

    /// <summary>The boards jobs belong to, with their jobs counted by status (from the index); empty on a node without a database.</summary>
    public IReadOnlyList<BoardSummary> Boards() => index?.Boards.List() ?? [];

    /// <summary>What runs print while they run, read from their workers.</summary>
    public RunOutputs Outputs { get; } = new(system, askTimeout);

    /// <summary>The script API's calls, to the workers that run their runs.</summary>
    public RunScripts Scripts { get; } = new(system, askTimeout);

    /// <summary>The journal's events as live streams (one job's, or all).</summary>
    public EventStreams Events { get; } = new(system);

    /// <summary>
    /// POST (createOnly) or PUT a definition; the id comes from the definition (PUT: from the path). A definition whose
    /// job triggers would make jobs trigger each other in a cycle is refused, naming the cycle.
    /// </summary>
    /// <param name="effectiveAt">A dated edit: when the definition replaces the job's (PUT only; null or past: now).</param>
    public async Task<JobReply> Define(JobId id, JobDefinition definition, bool createOnly, CancellationToken cancel = default, DateTimeOffset? effectiveAt = null)
    {
        definition = definition with { Id = definition.Id ?? id.Value };
        if (index is not null && await Task.Run(() => TriggerCycles.Find(definition, ListenersOf), cancel) is var (path, trigger))
            return new JobRefused(RejectionKind.Invalid,
                $"triggers[{trigger}].job: '{path[^2]}' would close a trigger cycle ({string.Join(" → ", path.Select(job => $"'{job}'"))}): " +
                "these jobs would trigger each other without end.");
        if (!createOnly)
            return await Send(id, new DefineJob(definition, CreateOnly: false, effectiveAt), cancel);
        var reply = await creator.Ask<JobReply>(new CreateJob(definition, Security.ChangeAuthor.Current), askTimeout, cancel);
        // The id has a journal: a job, or only the mark of one retention removed, which its entity creates anew after.
        return reply is JobRefused { Kind: RejectionKind.Conflict }
            ? await Send(id, new DefineJob(definition, CreateOnly: true), cancel)
            : reply;
    }

    /// <summary>For each job, the jobs whose triggers name it (any outcome), from the trigger index.</summary>
    private IReadOnlyDictionary<string, IReadOnlyList<string>> ListenersOf(IReadOnlyCollection<string> jobs)
    {
        string[] outcomes = ["completed", "succeeded", "failed"];
        var keys = jobs.Select(job => (IReadOnlyList<string>)outcomes.Select(on => TriggerKeys.ForJob(job, on)).ToList()).ToList();
        var listeners = index!.Listeners(keys);
        return jobs.Zip(listeners, (job, found) => (Job: job, Listeners: (IReadOnlyList<string>)found.Select(l => l.Value).ToList()))
            .ToDictionary(pair => pair.Job, pair => pair.Listeners);
    }

    /// <summary>Answered with <see cref="JobAccepted"/> or <see cref="JobRefused"/>.</summary>
    /// <remarks>The command carries the request's <see cref="Security.ChangeAuthor"/>, unless it names its own.</remarks>
    public Task<JobReply> Send(JobId id, JobCommand command, CancellationToken cancel = default) =>
        Ask(id, new JobRequest(command.By is null && Security.ChangeAuthor.Current is { } by ? command with { By = by } : command), cancel);

    /// <summary>Answered with <see cref="JobFound"/> or <see cref="JobRefused"/>.</summary>
    public Task<JobReply> Get(JobId id, CancellationToken cancel = default) => Ask(id, GetJob.Instance, cancel);

    /// <summary>Answered with <see cref="JobDescribed"/> or <see cref="JobRefused"/>.</summary>
    public Task<JobReply> Describe(JobId id, CancellationToken cancel = default) => Ask(id, DescribeJob.Instance, cancel);

    /// <summary>
    /// The runs the job keeps in memory (in flight, then its last finished ones), the finished ones with their output
    /// from the runs read model; answered with <see cref="RunsListed"/> or <see cref="JobRefused"/>.
    /// </summary>
    public async Task<JobReply> Runs(JobId id, CancellationToken cancel = default)
    {
        var reply = await Ask(id, GetRuns.Instance, cancel);
        if (reply is not RunsListed { Runs: var runs } || _outputs is null)
            return reply;
        var outputs = await FinishedOutputs(runs, cancel);
        return new RunsListed(runs.Select(run => RunId.TryParse(run.RunId, out var runId) && outputs.TryGetValue(runId, out var output)
            ? run with { Output = output } : run).ToList());
    }

    /// <summary>The run as its job holds it, without output; answered with <see cref="RunFound"/> or <see cref="JobRefused"/>.</summary>
    public Task<JobReply> Run(RunId runId, CancellationToken cancel = default) => Ask(runId.Job, new GetRun(runId), cancel);

    /// <summary>
    /// The run as its job holds it and, once it is finished, with its output (<paramref name="withOutput"/>) from the runs
    /// read model; a run its job no longer keeps in memory, from the read model alone. Answered like <see cref="Run"/>.
    /// </summary>
    public async Task<JobReply> RunDetail(RunId runId, bool withOutput = true, CancellationToken cancel = default)
    {
        var reply = await Run(runId, cancel);
        if (index is null)
            return reply;
        if (reply is RunFound { Run: var run })
            return withOutput && run.Status.IsFinished() ? new RunFound(run with { Output = await RunOutput(run, cancel) }) : reply;
        return reply is JobRefused { Kind: RejectionKind.NotFound } && await Task.Run(() => index.Runs.Find(runId), cancel) is { } stored
            ? new RunFound(withOutput ? stored : stored with { Output = null })
            : reply;
    }

    /// <summary>The output a finished run recorded, from the runs read model; null when it recorded none.</summary>
    public async Task<string?> RunOutput(RunView finished, CancellationToken cancel = default) =>
        _outputs is not null && RunId.TryParse(finished.RunId, out var runId) &&
        (await FinishedOutputs([finished], cancel)).TryGetValue(runId, out var output)
            ? output
            : null;

    /// <summary>
    /// A page of the run history of every job (or of one, by the filter), newest first, from the runs read model: it
    /// follows the jobs by milliseconds, and holds every run since the read model exists, not only those jobs keep.
    /// </summary>
    public async Task<RunPage> ListRuns(RunListQuery query, CancellationToken cancel = default)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var tables = index ?? throw new InvalidOperationException("This node has no database: run lists are served by gateway and scheduler nodes.");
        var rows = await Task.Run(() => tables.Runs.List(query with { Limit = limit + 1 }), cancel);
        var items = rows.Take(limit).ToList();
        return new RunPage(items, rows.Count > limit ? RunCursor.Of(items[^1]).ToString() : null);
    }

    private Task<IReadOnlyDictionary<RunId, string?>> FinishedOutputs(IEnumerable<RunView> runs, CancellationToken cancel)
    {
        var finished = new List<(RunId, DateTimeOffset)>();
        foreach (var run in runs)
            if (run.Status.IsFinished() && RunId.TryParse(run.RunId, out var runId))
                finished.Add((runId, run.FinishedAt ?? run.ScheduledFor));
        return _outputs!.Read(finished, system.Scheduler.Now, cancel);
    }

    /// <summary>A page of jobs from the index (eventually consistent: rows follow the journal by milliseconds).</summary>
    public async Task<JobPage> List(JobListQuery query, CancellationToken cancel = default)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var tables = index ?? throw new InvalidOperationException("This node has no database: the job list is served by gateway and scheduler nodes.");
        var rows = await Task.Run(() => tables.List(query with { Limit = limit + 1 }), cancel);
        var views = rows.Take(limit).Select(json => CoreJson.Deserialize<JobView>(json)).ToList();
        return new JobPage(views, rows.Count > limit ? views[^1].Id : null);
    }

    /// <summary>The job's journal, oldest first; null when the job has no events.</summary>
    public async Task<IReadOnlyList<HistoryEntry>?> History(JobId id, CancellationToken cancel = default)
    {
        var envelopes = await Events.Current(id).WaitAsync(cancel);
        if (envelopes.Count == 0)
            return null;
        return envelopes.Select(EventStreams.Describe).Select(e => new HistoryEntry(e.Seq, e.Type, e.At, e.Data)).ToList();
    }

    /// <summary>
    /// A page of the job's journal: at most <paramref name="limit"/> events from sequence number <paramref name="from"/> on,
    /// and where the next page starts (null at the end); null when the job has no events at all.
    /// </summary>
    public async Task<HistoryPage?> History(JobId id, long from, int limit, CancellationToken cancel = default)
    {
        var envelopes = await Events.Current(id, Math.Max(1, from), limit + 1).WaitAsync(cancel);
        if (envelopes.Count == 0 && (from <= 1 || !await Events.Exists(id, cancel)))
            return null;
        var entries = envelopes.Take(limit).Select(EventStreams.Describe).Select(e => new HistoryEntry(e.Seq, e.Type, e.At, e.Data)).ToList();
        return new HistoryPage(entries, envelopes.Count > limit ? envelopes[limit].SequenceNr : null);
    }

    /// <summary>Which node holds which job shards, and how many jobs are in memory in each (pbm's "sharding stats").</summary>
    public async Task<ShardingStats> Sharding(CancellationToken cancel = default)
    {
        var stats = await jobs.Ask<Akka.Cluster.Sharding.ClusterShardingStats>(
            new Akka.Cluster.Sharding.GetClusterShardingStats(askTimeout), askTimeout + TimeSpan.FromSeconds(1), cancel);
        return new ShardingStats(stats.Regions
            .OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)
            .Select(r => new RegionStats(r.Key.ToString(), r.Value.Stats.Count, r.Value.Stats.Values.Sum(),
                r.Value.Stats.OrderBy(s => int.TryParse(s.Key, out var n) ? n : int.MaxValue)
                    .Select(s => new ShardStats(s.Key, s.Value)).ToList()))
            .ToList());
    }

    /// <summary>The worker nodes and what each is running (a worker that does not answer in time shows no runs).</summary>
    public Task<IReadOnlyList<Dispatch.WorkerView>> Workers(CancellationToken cancel = default) =>
        Dispatch.WorkerQueries.List(system, askTimeout, cancel);

    /// <summary>The jobs whose triggers name <paramref name="id"/>, with the outcome each listens for, from the trigger index.</summary>
    public async Task<IReadOnlyList<JobLink>> Downstream(JobId id, CancellationToken cancel = default)
    {
        var tables = index ?? throw new InvalidOperationException("This node has no database: trigger links are served by gateway and scheduler nodes.");
        string[] outcomes = ["completed", "succeeded", "failed"];
        var listeners = await Task.Run(() => tables.Listeners([.. outcomes.Select(on => (IReadOnlyList<string>)[TriggerKeys.ForJob(id.Value, on)])]), cancel);
        return outcomes.Zip(listeners, (on, jobs) => jobs.Select(job => new JobLink(job.Value, on)))
            .SelectMany(links => links).OrderBy(link => link.Job, StringComparer.Ordinal).ToList();
    }

    /// <summary>The journal's latest global position, where a live reader of every job's events starts to see only new ones.</summary>
    public long LatestPosition() => index?.LatestJournalPosition() ?? 0;

    /// <summary>The cluster's members as this node sees them (pbm's "cluster show").</summary>
    public IReadOnlyList<MemberView> Members()
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        return state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new MemberView(m.Address.ToString(), m.Status.ToString().ToLowerInvariant(), m.Roles.OrderBy(r => r).ToList(),
                !state.Unreachable.Contains(m), m.Address == cluster.SelfAddress))
            .ToList();
    }

    /// <summary>This node's view of its database (null on a node without one): outages, for readiness and 503s.</summary>
    public StorageHealth? Storage { get; } = index is null ? null : Persistence.EngineStore.Get(system).Health;

    // A job that cannot store or recover its events stops without an answer: during an outage, give up after a short
    // grace (StorageHealth.Guard) rather than the whole ask timeout.
    private async Task<JobReply> Ask(JobId id, JobMessage message, CancellationToken cancel)
    {
        var answer = jobs.Ask<JobReply>(new JobEnvelope(id, message), askTimeout, cancel);
        return Storage is { } storage ? await storage.Guard(answer, cancel) : await answer;
    }
}
