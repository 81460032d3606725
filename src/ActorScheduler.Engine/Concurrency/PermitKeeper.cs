using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Concurrency;

/// <summary>
/// The cluster's concurrency permits (one keeper, a cluster singleton on the scheduler nodes): a shell over
/// <see cref="PermitBook{TRequester}"/>, which decides; the dispatchers ask, release and are told of grants.
/// </summary>
/// <remarks>
/// Its book lives in memory only. A new keeper (its node left or crashed) grants nothing new for
/// <see cref="ConcurrencySettings.RestartGrace"/>: within it every dispatcher, asking every third of it which keeper
/// answers, hears a new incarnation and tells it the permits it holds (reclaims) and the runs that wait (asked for
/// again). Permits whose release never comes (their dispatcher's node died with the run's outcome unheard) are
/// found by asking the run's job, for every permit held longer than <see cref="ConcurrencySettings.VerifyInterval"/>,
/// whether the run is still in flight.
/// </remarks>
public sealed class PermitKeeper : ReceiveActor, IWithTimers
{
    /// <summary>Jobs asked about their runs at once at most (the rest are asked at the next check).</summary>
    public const int ChecksInFlight = 100;

    private sealed record OpenNow;

    private sealed record CheckNow;

    private sealed record RunChecked(RunId RunId, long Grant, bool? InFlight);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Guid _incarnation = Guid.NewGuid();
    private readonly PermitBook<IActorRef> _book;
    private readonly Dictionary<RunId, long> _checking = new();
    private readonly IActorRef _jobs;
    private readonly ConcurrencySettings _settings;
    private readonly TimeSpan _askTimeout;
    private readonly TimeProvider _clock;
    private readonly Func<IReadOnlyCollection<string>>? _schedulers;
    private readonly HashSet<string> _told = [];
    private readonly ConcurrencyMetrics.Gauges _gauges = new();
    private bool _refusing;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="jobs">The job shard region: held permits are checked with their runs' jobs through it.</param>
    /// <param name="askTimeout">How long a job may take to answer a check (recovery included).</param>
    /// <param name="schedulers">The scheduler nodes up now: once each has told its permits, the grace ends early (null: it never does).</param>
    public static Props Props(IActorRef jobs, ConcurrencySettings settings, TimeSpan askTimeout, TimeProvider clock, Func<IReadOnlyCollection<string>>? schedulers = null) =>
        Akka.Actor.Props.Create(() => new PermitKeeper(jobs, settings, askTimeout, clock, schedulers));

    public PermitKeeper(IActorRef jobs, ConcurrencySettings settings, TimeSpan askTimeout, TimeProvider clock, Func<IReadOnlyCollection<string>>? schedulers)
    {
        (_jobs, _settings, _askTimeout, _clock, _schedulers) = (jobs, settings, askTimeout, clock, schedulers);
        _book = new PermitBook<IActorRef>(settings.MaxWaiting);
        Receive<AcquirePermit>(Acquire);
        Receive<ReclaimPermit>(reclaim => _book.Reclaim(reclaim.Key, reclaim.RunId, Sender, Now));
        Receive<ReleasePermit>(release => Free(release.RunId, release.Why));
        Receive<GetPermitKeeper>(_ => Sender.Tell(new PermitKeeperIs(_incarnation)));
        Receive<OpenNow>(_ => Open($"after {_settings.RestartGrace}"));
        Receive<PermitClaimsTold>(told =>
        {
            _told.Add(told.Node);
            if (!_book.Admitting && _schedulers?.Invoke() is { Count: > 0 } up && up.All(_told.Contains))
                Open($"once all {up.Count} scheduler nodes told theirs");
        });
        Receive<CheckNow>(_ => Check());
        Receive<RunChecked>(Checked);
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    protected override void PreStart()
    {
        Timers.StartSingleTimer("open", new OpenNow(), _settings.RestartGrace);
        Timers.StartPeriodicTimer("check", new CheckNow(), _settings.VerifyInterval);
    }

    protected override void PostStop() => _gauges.Report(0, 0);

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        _gauges.Report(_book.Waiting, _book.Held);
        return handled;
    }

    private void Open(string when)
    {
        Timers.Cancel("open"); // a message of a canceled timer is not delivered: the book opens once
        _log.Info("Concurrency permits: {0} runs reclaimed their permits; new permits are granted from now on ({1})", _book.Held, when);
        Tell(_book.Open(Now));
    }

    private void Acquire(AcquirePermit acquire)
    {
        var answer = _book.Acquire(acquire.Key, acquire.Limit, acquire.RunId, Sender, Now);
        if (answer == PermitAnswer.Granted)
            Sender.Tell(new PermitGranted(acquire.RunId, _incarnation));
        if (answer != PermitAnswer.Refused)
            return;
        ConcurrencyMetrics.Refused();
        if (!_refusing) // said once until the line is below its bound again
            _log.Warning("Concurrency permits: {0} runs wait (actor-scheduler.concurrency.max-waiting); run {1} and later ones are asked for again later", _book.MaxWaiting, acquire.RunId);
        _refusing = true;
        Sender.Tell(new PermitRefused(acquire.RunId, $"{_book.MaxWaiting} runs wait for a permit already"));
    }

    private void Free(RunId runId, PermitRelease why)
    {
        if (_book.Holds(runId))
            ConcurrencyMetrics.PermitFreed(why);
        Tell(_book.Release(runId, Now));
        _refusing &= _book.Waiting >= _book.MaxWaiting;
    }

    private void Tell(IReadOnlyList<PermitGrant<IActorRef>> grants) => grants.ToList().ForEach(grant => grant.Requester.Tell(new PermitGranted(grant.RunId, _incarnation)));

    /// <summary>Asks the jobs of permits held longer than the interval (and not being asked about) whether their runs still go.</summary>
    private void Check()
    {
        var due = _book.DueForCheck(Now - _settings.VerifyInterval, ChecksInFlight + _checking.Count).Where(run => !_checking.ContainsKey(run)).Take(ChecksInFlight - _checking.Count);
        foreach (var runId in due.ToList())
        {
            var grant = _book.GrantOf(runId)!.Value;
            _checking[runId] = grant;
            PermitChecks.IsInFlight(_jobs, runId, _askTimeout).PipeTo(Self,
                success: inFlight => new RunChecked(runId, grant, inFlight), failure: _ => new RunChecked(runId, grant, null));
        }
    }

    private void Checked(RunChecked check)
    {
        _checking.Remove(check.RunId);
        if (_book.GrantOf(check.RunId) != check.Grant)
            return; // released, and perhaps granted again, since the job was asked
        if (check.InFlight is false)
        {
            _log.Warning("Concurrency permits: run {0} held a permit but its job no longer has it in flight; the permit is freed", check.RunId);
            Free(check.RunId, PermitRelease.Verified);
            return;
        }
        if (check.InFlight is null)
            _log.Info("Concurrency permits: the job of run {0} did not answer whether the run is in flight; asked again later", check.RunId);
        _book.Checked(check.RunId, Now);
    }
}
