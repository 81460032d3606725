using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Wakeups;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The node's precise timer (<see cref="PreciseTimer"/>, <see cref="PreciseTimerQueue"/>): order, cancellation,
/// its bound and its stop with the actor system. The clock is a fake one that the specs move on only once everything
/// is armed, so no outcome depends on how fast the machine is; the waits are the probe's generous defaults.
/// </summary>
public sealed class PreciseTimerSpecs() : TestKit("akka.test.single-expect-default = 15s")
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);

    private PreciseTimer Started(int maxArmed = 100)
    {
        var timer = PreciseTimer.Get(Sys);
        timer.Start(new PreciseTimerSettings(Enabled: true, maxArmed, TimeSpan.FromMilliseconds(1)), _clock);
        return timer;
    }

    private static void ExpectInOrder(Akka.TestKit.TestProbe probe, params string[] messages)
    {
        foreach (var message in messages)
            probe.ExpectMsg(message);
    }

    [Fact]
    public void Should_send_in_order_of_instant_when_armed_out_of_order()
    {
        var timer = Started();
        var probe = CreateTestProbe();
        timer.TryArm(T0.AddSeconds(3), probe, "third");
        timer.TryArm(T0.AddSeconds(1), probe, "first");
        timer.TryArm(T0.AddSeconds(2), probe, "second");

        _clock.Advance(TimeSpan.FromSeconds(5));

        ExpectInOrder(probe, "first", "second", "third");
    }

    [Fact]
    public void Should_send_in_arming_order_when_due_at_the_same_instant()
    {
        var timer = Started();
        var probe = CreateTestProbe();
        foreach (var name in new[] { "a", "b", "c" })
            timer.TryArm(T0.AddSeconds(1), probe, name);

        _clock.Advance(TimeSpan.FromSeconds(1));

        ExpectInOrder(probe, "a", "b", "c");
    }

    [Fact]
    public void Should_not_send_a_canceled_timer()
    {
        var timer = Started();
        var probe = CreateTestProbe();
        var canceled = timer.TryArm(T0.AddSeconds(1), probe, "canceled")!;
        timer.TryArm(T0.AddSeconds(2), probe, "kept");
        canceled.Cancel();
        canceled.Cancel(); // twice is harmless

        _clock.Advance(TimeSpan.FromSeconds(3));

        // "canceled" was due first: had it been sent, it would have arrived before "kept".
        probe.ExpectMsg("kept");
        Assert.Equal(0, timer.Armed);
    }

    [Fact]
    public void Should_send_a_past_instant_at_once()
    {
        var timer = Started();
        var probe = CreateTestProbe();

        timer.TryArm(T0.AddSeconds(-1), probe, "late");

        probe.ExpectMsg("late");
    }

    [Fact]
    public void Should_refuse_to_arm_beyond_its_bound_until_a_timer_is_canceled()
    {
        var timer = Started(maxArmed: 2);
        var probe = CreateTestProbe();
        var first = timer.TryArm(T0.AddSeconds(1), probe, "1")!;
        Assert.NotNull(timer.TryArm(T0.AddSeconds(1), probe, "2"));

        Assert.Null(timer.TryArm(T0.AddSeconds(1), probe, "3"));

        first.Cancel();
        Assert.NotNull(timer.TryArm(T0.AddSeconds(1), probe, "4"));
        Assert.Equal(2, timer.Armed);
    }

    [Fact]
    public void Should_arm_nothing_when_disabled()
    {
        var timer = PreciseTimer.Get(Sys);
        timer.Start(new PreciseTimerSettings(Enabled: false, 100, TimeSpan.FromMilliseconds(1)), _clock);

        Assert.False(timer.Running);
        Assert.Null(timer.TryArm(T0, TestActor, "never"));
    }

    [Fact]
    public async Task Should_stop_and_refuse_to_arm_when_the_actor_system_terminates()
    {
        var other = ActorSystem.Create("precise-timer-stop");
        var timer = PreciseTimer.Get(other);
        timer.Start(new PreciseTimerSettings(Enabled: true, 100, TimeSpan.FromMilliseconds(1)), _clock);
        Assert.NotNull(timer.TryArm(T0.AddMinutes(1), TestActor, "armed"));

        await other.Terminate().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(timer.Running, "the timer stops with its actor system");
        Assert.Equal(0, timer.Armed);
        Assert.Null(timer.TryArm(T0, TestActor, "after"));
    }

    [Fact]
    public void Should_read_its_settings_from_base_conf()
    {
        var settings = PreciseTimerSettings.From(EngineConfig.Load());

        Assert.True(settings.Enabled, "base.conf turns the precise timer on");
        Assert.True(settings.MaxArmed > 0);
        Assert.True(settings.Resolution >= TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Should_refuse_a_resolution_finer_than_a_millisecond()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("actor-scheduler.scheduler.precise-timer.resolution = 0.5ms")
            .WithFallback(EngineConfig.Load());

        Assert.Throws<Akka.Configuration.ConfigurationException>(() => PreciseTimerSettings.From(config));
    }
}

/// <summary>The heap behind <see cref="PreciseTimer"/>, without its thread.</summary>
public sealed class PreciseTimerQueueSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_take_only_what_is_due_earliest_first()
    {
        var queue = new PreciseTimerQueue(10);
        queue.TryArm(T0.AddSeconds(2), ActorRefs.Nobody, "b");
        queue.TryArm(T0.AddSeconds(1), ActorRefs.Nobody, "a");
        queue.TryArm(T0.AddSeconds(9), ActorRefs.Nobody, "later");

        var due = queue.TakeDue(T0.AddSeconds(2));

        Assert.Equal(["a", "b"], due.Select(t => (string)t.Message));
        Assert.Equal(T0.AddSeconds(9), queue.NextAt);
        Assert.Equal(1, queue.Live);
    }

    [Fact]
    public void Should_keep_counting_right_when_many_canceled_timers_are_compacted_away()
    {
        var queue = new PreciseTimerQueue(10_000);
        var handles = Enumerable.Range(0, 5_000).Select(i => queue.TryArm(T0.AddMilliseconds(i), ActorRefs.Nobody, i)!).ToList();
        foreach (var handle in handles.Where(h => (int)h.Message % 100 != 0))
            handle.Cancel();

        var due = queue.TakeDue(T0.AddHours(1));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 100), due.Select(t => (int)t.Message));
        Assert.Equal(0, queue.Live);
        Assert.Null(queue.NextAt);
    }

    [Fact]
    public void Should_not_count_a_timer_canceled_after_it_was_taken()
    {
        var queue = new PreciseTimerQueue(1);
        var handle = queue.TryArm(T0, ActorRefs.Nobody, "x")!;
        queue.TakeDue(T0);

        handle.Cancel();

        Assert.Equal(0, queue.Live);
        Assert.NotNull(queue.TryArm(T0, ActorRefs.Nobody, "y"));
    }
}
