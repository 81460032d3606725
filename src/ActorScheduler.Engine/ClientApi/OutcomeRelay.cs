using ActorScheduler.Client.Protocol;
using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// Pushes run outcomes to embedded clients. Listens on <see cref="RunOutcomes.Topic"/> (every scheduler node
/// publishes each run that ends for good) and keeps, per client, the jobs it streams and the runs it awaits, as
/// the client's latest <see cref="WatchOutcomes"/> said. The client is known by its response tunnel (the
/// sender): pushes go back through it.
/// </summary>
/// <remarks>
/// No lost race between a run finishing and its wait arriving: every watch (first or renewal) reads where each
/// awaited run stands and answers those already over. A client is forgotten when its tunnel stops or its lease
/// passes without renewal: pushes keep a tunnel alive, so only the lease notices a client that went away.
/// </remarks>
public sealed class OutcomeRelay : ReceiveActor, IWithTimers
{
    private sealed class Interests(IReadOnlyList<JobId> jobs, IReadOnlyList<RunId> runs, DateTimeOffset expiresAt)
    {
        public HashSet<JobId> Jobs { get; } = jobs.ToHashSet();
        public HashSet<RunId> Runs { get; } = runs.ToHashSet();
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }

    private sealed record ExpireLeases;

    public static readonly TimeSpan LeaseCheckInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShortestLease = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestLease = TimeSpan.FromMinutes(10);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, Interests> _clients = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobService jobs) => Akka.Actor.Props.Create(() => new OutcomeRelay(jobs));

    public OutcomeRelay(JobService jobs)
    {
        var lookups = new OutcomeLookups(jobs);
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(RunOutcomes.Topic, Self));
        Receive<SubscribeAck>(_ => { });
        Receive<WatchOutcomes>(watch => Watch(watch, lookups));
        Receive<RunCompleted>(completed => Completed(completed, lookups));
        Receive<OutcomeLookups.AwaitedJudged>(Judged);
        Receive<OutcomeLookups.CompletionRead>(Announce);
        Receive<Terminated>(terminated => _clients.Remove(terminated.ActorRef));
        Receive<ExpireLeases>(_ => Expire());
        Receive<Status.Failure>(failure => _log.Warning("Reading a run outcome for clients failed: {0}", failure.Cause.Message));
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("leases", new ExpireLeases(), LeaseCheckInterval);

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private void Watch(WatchOutcomes watch, OutcomeLookups lookups)
    {
        var client = Sender;
        if (watch.Jobs.Count == 0 && watch.Runs.Count == 0)
            Forget(client);
        else
        {
            if (!_clients.ContainsKey(client))
                Context.Watch(client);
            var lease = watch.Lease < ShortestLease ? ShortestLease : watch.Lease > LongestLease ? LongestLease : watch.Lease;
            _clients[client] = new Interests(watch.Jobs, watch.Runs, Now + lease);
        }
        client.Tell(new OutcomesWatched(watch.Version));
        foreach (var job in watch.Runs.GroupBy(run => run.Job))
            lookups.Judge(job.Key, job.ToList()).PipeTo(Self);
    }

    private void Completed(RunCompleted completed, OutcomeLookups lookups)
    {
        var job = completed.JobId;
        var streamed = _clients.Values.Any(interests => interests.Jobs.Contains(job));
        var awaited = _clients.Values.SelectMany(interests => interests.Runs).Where(run => run.Job == job).ToList();
        if (!streamed && awaited.Count == 0)
            return;
        // Earlier attempts are looked up only when someone may be awaiting one of them.
        lookups.ReadCompletion(completed, followChain: awaited.Any(run => run != completed.RunId)).PipeTo(Self);
    }

    private void Judged(OutcomeLookups.AwaitedJudged judged)
    {
        foreach (var (awaited, standing) in judged.Judgements)
        {
            IClientProtocolMessage? answer = standing switch
            {
                AwaitedRunStanding.Settled settled => new RunSettled(awaited, settled.Final),
                AwaitedRunStanding.Unknown unknown => new RunUnknown(awaited, unknown.Message),
                _ => null,
            };
            if (answer is not null)
                Answer(awaited, answer);
        }
    }

    private void Announce(OutcomeLookups.CompletionRead read)
    {
        var job = JobId.Parse(read.Finished.JobId);
        foreach (var client in _clients.Where(entry => entry.Value.Jobs.Contains(job)).Select(entry => entry.Key))
            client.Tell(new JobRunFinished(read.Finished));
        foreach (var awaited in read.Chain)
            Answer(awaited, new RunSettled(awaited, read.Finished));
    }

    /// <summary>Tells every client awaiting the run, once: the run leaves their interests.</summary>
    private void Answer(RunId awaited, IClientProtocolMessage answer)
    {
        foreach (var (client, interests) in _clients)
            if (interests.Runs.Remove(awaited))
                client.Tell(answer);
    }

    private void Expire()
    {
        var now = Now;
        foreach (var client in _clients.Where(entry => entry.Value.ExpiresAt < now).Select(entry => entry.Key).ToList())
            Forget(client);
    }

    private void Forget(IActorRef client)
    {
        if (_clients.Remove(client))
            Context.Unwatch(client);
    }
}
