using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// A worker node's <c>/user/live-output</c>: answers <see cref="GetLiveOutput"/> from the node's
/// <see cref="LiveOutputBuffer"/> (what <see cref="RunOutputs"/> asks from any node), forgets finished runs on a
/// timer even when nobody reads, and logs when finished runs were forgotten early for lack of room.
/// </summary>
public sealed class LiveOutputActor : ReceiveActor, IWithTimers
{
    public const string Name = "live-output";

    private sealed record Prune
    {
        public static readonly Prune Instance = new();
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LiveOutputBuffer _buffer;
    private readonly TimeSpan _pruneEvery;
    private long _forgottenEarlyLogged;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="pruneEvery">How often finished runs past their time are let go (the buffer's keep-finished is a good value).</param>
    public static Props Props(LiveOutputBuffer buffer, TimeSpan pruneEvery) =>
        Akka.Actor.Props.Create(() => new LiveOutputActor(buffer, pruneEvery));

    public LiveOutputActor(LiveOutputBuffer buffer, TimeSpan pruneEvery)
    {
        (_buffer, _pruneEvery) = (buffer, pruneEvery);
        Receive<GetLiveOutput>(get => Sender.Tell(_buffer.Read(get.RunId, get.From)));
        Receive<Prune>(_ =>
        {
            _buffer.Prune();
            var forgotten = _buffer.ForgottenEarly;
            if (forgotten > _forgottenEarlyLogged)
                _log.Info("Live output of {0} finished runs was forgotten before {1}.keep-finished because more than keep-finished-runs finished meanwhile " +
                    "({2} since start); readers polling after those runs ended found nothing", forgotten - _forgottenEarlyLogged, LiveOutputSettings.Path, forgotten);
            _forgottenEarlyLogged = forgotten;
        });
    }

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Prune), Prune.Instance, _pruneEvery);
}
