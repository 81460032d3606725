using ActorScheduler.Client.Protocol;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using Akka.Actor;
using Akka.Cluster.Tools.Client;

namespace ActorScheduler.Client;

/// <summary>
/// The client side of run outcomes: holds the application's waits and subscriptions, tells the cluster's
/// client service about them (whole, on every change and every keep-alive) and hands the outcomes it pushes
/// back to the waiting tasks and streams. One actor, so one response tunnel carries every push to this client.
/// </summary>
internal sealed class OutcomeListener : ReceiveActor, IWithTimers
{
    public sealed record AwaitRun(RunId RunId, TaskCompletionSource<RunView> Result);

    public sealed record ForgetRun(RunId RunId, TaskCompletionSource<RunView> Result);

    /// <summary><paramref name="Registered"/> completes once the service holds the subscription.</summary>
    public sealed record Subscribe(RunSubscription Subscription, TaskCompletionSource Registered);

    public sealed record Unsubscribe(RunSubscription Subscription);

    private sealed record KeepAlive;

    private readonly IActorRef _clusterClient;
    private readonly TimeSpan _keepAlive;
    private readonly string? _token;
    private readonly Dictionary<RunId, List<TaskCompletionSource<RunView>>> _waits = [];
    private readonly Dictionary<JobId, List<RunSubscription>> _subscriptions = [];
    private readonly List<(long Version, TaskCompletionSource Registered)> _unacknowledged = [];
    private long _version;
    private bool _serviceHoldsInterests;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef clusterClient, TimeSpan keepAlive, string? token) =>
        Akka.Actor.Props.Create(() => new OutcomeListener(clusterClient, keepAlive, token));

    public OutcomeListener(IActorRef clusterClient, TimeSpan keepAlive, string? token)
    {
        (_clusterClient, _keepAlive, _token) = (clusterClient, keepAlive, token);
        Receive<AwaitRun>(await => Changed(Add(_waits, await.RunId, await.Result)));
        Receive<ForgetRun>(forget => Changed(Remove(_waits, forget.RunId, forget.Result)));
        Receive<Subscribe>(subscribe =>
        {
            // Always renewed, even for a job already watched: the caller waits for an acknowledgement of this version.
            Add(_subscriptions, subscribe.Subscription.JobId, subscribe.Subscription);
            Changed(renew: true);
            _unacknowledged.Add((_version, subscribe.Registered));
        });
        Receive<Unsubscribe>(unsubscribe => Changed(Remove(_subscriptions, unsubscribe.Subscription.JobId, unsubscribe.Subscription)));
        // An empty renewal is sent once, so the service lets go of what this client no longer wants.
        Receive<KeepAlive>(_ => Changed(_serviceHoldsInterests || HasInterests));
        Receive<OutcomesWatched>(Acknowledged);
        // Waits and subscriptions cannot be served without the cluster's token: they fail rather than hang.
        Receive<RequestUnauthorized>(refused => Fail(new UnauthorizedException(refused.Message)));
        Receive<RunSettled>(settled => Settle(settled.Awaited, result => result.TrySetResult(settled.Final)));
        Receive<RunUnknown>(unknown => Settle(unknown.Awaited, result => result.TrySetException(new JobNotFoundException(unknown.Message))));
        Receive<JobRunFinished>(finished =>
        {
            if (JobId.IsValid(finished.Run.JobId) && _subscriptions.TryGetValue(JobId.Parse(finished.Run.JobId), out var subscriptions))
                foreach (var subscription in subscriptions)
                    subscription.Deliver(finished.Run);
        });
    }

    private bool HasInterests => _waits.Count > 0 || _subscriptions.Count > 0;

    protected override void PreStart() => Timers.StartPeriodicTimer("keep-alive", new KeepAlive(), _keepAlive);

    protected override void PostStop() =>
        Fail(new ObjectDisposedException(nameof(ActorSchedulerClient), "The client was disposed while waiting."));

    /// <summary>Ends every wait with <paramref name="error"/>, every subscription, and every pending registration.</summary>
    private void Fail(Exception error)
    {
        foreach (var result in _waits.Values.SelectMany(results => results))
            result.TrySetException(error);
        foreach (var subscription in _subscriptions.Values.SelectMany(subscriptions => subscriptions))
            subscription.Complete();
        foreach (var (_, registered) in _unacknowledged)
            registered.TrySetException(error);
        _waits.Clear();
        _subscriptions.Clear();
        _unacknowledged.Clear();
    }

    /// <summary>Sends the whole set of interests; the service replaces what it held for this client.</summary>
    private void Changed(bool renew)
    {
        if (!renew)
            return;
        _version++;
        var watch = new WatchOutcomes(_version, _subscriptions.Keys.ToList(), _waits.Keys.ToList(), _keepAlive * 3) { Token = _token };
        _clusterClient.Tell(new ClusterClient.Send(ClientProtocol.ServicePath, watch, localAffinity: true));
        _serviceHoldsInterests = HasInterests;
    }

    private void Acknowledged(OutcomesWatched watched)
    {
        foreach (var entry in _unacknowledged.Where(entry => entry.Version <= watched.Version))
            entry.Registered.TrySetResult();
        _unacknowledged.RemoveAll(entry => entry.Version <= watched.Version);
    }

    private void Settle(RunId awaited, Action<TaskCompletionSource<RunView>> complete)
    {
        if (!_waits.Remove(awaited, out var results))
            return;
        foreach (var result in results)
            complete(result);
        // The service drops a settled run itself; nothing to renew.
    }

    private static bool Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var values))
            map[key] = values = [];
        values.Add(value);
        return values.Count == 1;
    }

    private static bool Remove<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var values) || !values.Remove(value) || values.Count > 0)
            return false;
        map.Remove(key);
        return true;
    }
}
