using ActorScheduler.Core;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Retention;

/// <summary>
/// Retention in the background, a cluster singleton on the scheduler nodes (deletes are idempotent, so a second one
/// during a hand-over does no harm): a pass over every job every <see cref="RetentionSettings.Interval"/>, one
/// <see cref="RetentionPass"/> step at a time with a pause between steps, so it never crowds out the jobs' own writes.
/// A failed step is logged and the pass goes on after the interval from where it stopped. Each pass that removed
/// anything logs what.
/// </summary>
public sealed class RetentionSweeper : ReceiveActor, IWithTimers
{
    private sealed record StepNow;

    private sealed record StepDone(RetentionStep? Step, Exception? Error);

    private readonly RetentionPass _pass;
    private readonly RetentionSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private JobId? _cursor;
    private RetentionStep _total = RetentionStep.Nothing;
    private DateTimeOffset _passStarted;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RetentionPass pass, RetentionSettings settings, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new RetentionSweeper(pass, settings, clock));

    public RetentionSweeper(RetentionPass pass, RetentionSettings settings, TimeProvider clock)
    {
        (_pass, _settings, _clock) = (pass, settings, clock);
        Receive<StepNow>(_ =>
        {
            if (_cursor is null && _total == RetentionStep.Nothing)
                _passStarted = _clock.GetUtcNow();
            _pass.Step(_cursor, _clock.GetUtcNow()).PipeTo(Self, success: step => new StepDone(step, null), failure: error => new StepDone(null, error));
        });
        Receive<StepDone>(done =>
        {
            if (done.Step is not { } step)
            {
                _log.Warning(done.Error, "Retention: a step after job {0} failed; the pass goes on in {1}", _cursor?.Value ?? "(start)", _settings.Interval);
                Timers.StartSingleTimer("step", new StepNow(), _settings.Interval);
                return;
            }
            _total = _total.Add(step);
            _cursor = step.Next;
            if (_cursor is not null)
            {
                Timers.StartSingleTimer("step", new StepNow(), _settings.StepPause);
                return;
            }
            PassEnded();
            Timers.StartSingleTimer("step", new StepNow(), _settings.Interval);
        });
    }

    protected override void PreStart()
    {
        if (_settings.RemovesAnything)
            Timers.StartSingleTimer("step", new StepNow(), _settings.Interval);
    }

    private void PassEnded()
    {
        var (total, took) = (_total, _clock.GetUtcNow() - _passStarted);
        _total = RetentionStep.Nothing;
        if (total.Runs + total.Events + total.JobsRemoved == 0)
        {
            _log.Debug("Retention: a pass over {0} jobs removed nothing ({1:0.#} s)", total.Jobs, took.TotalSeconds);
            return;
        }
        _log.Info("Retention: a pass over {0} jobs removed {1} runs, {2} journal events and {3} jobs in {4:0.#} s{5}",
            total.Jobs, total.Runs, total.Events, total.JobsRemoved, took.TotalSeconds,
            total.Capped > 0 ? $"; {total.Capped} jobs had more than {_settings.MaxRowsPerStep} rows of a kind to remove, the rest goes next pass" : "");
    }
}
