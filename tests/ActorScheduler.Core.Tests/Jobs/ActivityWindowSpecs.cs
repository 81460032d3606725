using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

public sealed class ActivityWindowSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 30, 20, TimeSpan.Zero);
    private static readonly RunId Run = new(JobId.Parse("job"), 1);

    private static RunFinished Finished(RunStatus outcome, DateTimeOffset at) => new(Run, outcome, 0, null, null, null, at);

    private static RunsSkipped Skipped(int count, DateTimeOffset at) => new(RunTrigger.Schedule, at, at, count, false, "overlap", at);

    [Fact]
    public void Should_show_every_minute_of_the_window_oldest_first_ending_with_the_current_one()
    {
        var minutes = new ActivityWindow(60).Snapshot(Now);

        Assert.Equal(60, minutes.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 30, 0, TimeSpan.Zero), minutes[^1].Minute);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 31, 0, TimeSpan.Zero), minutes[0].Minute);
        Assert.All(minutes, m => Assert.Equal(0, m.Finished + m.Succeeded + m.Failed + m.Skipped));
    }

    [Fact]
    public void Should_count_outcomes_and_skipped_occurrences_in_the_minute_they_happened()
    {
        var window = new ActivityWindow(60);

        window.Record(Finished(RunStatus.Succeeded, Now.AddSeconds(-5)), Now);
        window.Record(Finished(RunStatus.TimedOut, Now.AddSeconds(-10)), Now);
        window.Record(Finished(RunStatus.Canceled, Now.AddMinutes(-2)), Now);
        window.Record(Skipped(4, Now.AddMinutes(-2)), Now);
        window.Record(new JobPaused("why", Now), Now); // says nothing about runs

        var minutes = window.Snapshot(Now);
        Assert.Equal(new ActivityMinute(minutes[^1].Minute, Finished: 2, Succeeded: 1, Failed: 1, Skipped: 0), minutes[^1]);
        Assert.Equal(new ActivityMinute(minutes[^3].Minute, Finished: 1, Succeeded: 0, Failed: 0, Skipped: 4), minutes[^3]);
        Assert.Equal(3, minutes.Sum(m => m.Finished));
    }

    [Fact]
    public void Should_ignore_and_count_events_older_than_the_window_and_let_old_minutes_fall_out()
    {
        var window = new ActivityWindow(10);

        window.Record(Finished(RunStatus.Failed, Now.AddMinutes(-11)), Now);
        window.Record(Finished(RunStatus.Failed, Now.AddMinutes(-9)), Now);

        Assert.Equal(1, window.Ignored);
        Assert.Equal(1, window.Snapshot(Now).Sum(m => m.Failed));
        Assert.Equal(0, window.Snapshot(Now.AddMinutes(2)).Sum(m => m.Failed));
    }

    [Fact]
    public void Should_count_an_event_from_a_clock_running_ahead_in_the_current_minute()
    {
        var window = new ActivityWindow(5);

        window.Record(Finished(RunStatus.Succeeded, Now.AddMinutes(3)), Now);

        Assert.Equal(1, window.Snapshot(Now)[^1].Succeeded);
    }

    [Fact]
    public void Should_keep_no_more_minutes_than_the_window_whatever_it_is_fed()
    {
        var window = new ActivityWindow(3);

        for (var i = 0; i < 1000; i++)
            window.Record(Finished(RunStatus.Succeeded, Now.AddMinutes(i)), Now.AddMinutes(i));

        var minutes = window.Snapshot(Now.AddMinutes(999));
        Assert.Equal(3, minutes.Count);
        Assert.All(minutes, m => Assert.Equal(1, m.Succeeded));
    }

    [Fact]
    public void Should_refuse_a_window_of_no_minutes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActivityWindow(0));
    }
}
