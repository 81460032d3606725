using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Wakeups;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The wake-up scheduler's queue without an actor: what is due when, the in-flight budget, resend suppression and
/// warming. Every instant is an explicit offset from <see cref="T0"/>.
/// </summary>
public sealed class WakeQueueSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(2);

    // Warming is off unless a spec asks for it: with an hour of warm-ahead no row of these specs is far enough away.
    private static readonly TimeSpan NoWarming = TimeSpan.FromHours(1);
    private static readonly TimeSpan WarmAhead = TimeSpan.FromSeconds(1);

    private static WakeQueue Queue(int maxInFlight = 10, TimeSpan? warmAhead = null) => new(new WakeSettings(
        PollInterval: TimeSpan.FromSeconds(5), Lookahead: TimeSpan.FromSeconds(30), MaxLoaded: 20_000, MaxInFlight: maxInFlight,
        ResendAfter: ResendAfter, DeliveryTimeout: TimeSpan.FromSeconds(60), WarmAhead: warmAhead ?? NoWarming,
        WarmedBackstop: Backstop, RewakeDelay: TimeSpan.FromSeconds(2)));

    private static DueWake Row(string job, DateTimeOffset wakeAt, long generation = 1) => new(JobId.Parse(job), wakeAt, generation);

    private static SendWake Wake(string job, long generation = 1) => new(JobId.Parse(job), generation);

    private static SendWarm Warm(string job) => new(JobId.Parse(job));

    // Rows and sends

    [Fact]
    public void Should_send_nothing_when_no_row_is_due_yet()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0.AddSeconds(10)), T0);

        Assert.Empty(queue.TakeDue(T0.AddSeconds(10).AddTicks(-1)));
        Assert.Equal([Wake("a")], queue.TakeDue(T0.AddSeconds(10)));
    }

    [Fact]
    public void Should_send_due_rows_earliest_first_when_several_are_due()
    {
        var queue = Queue();
        queue.Enqueue(Row("c", T0.AddSeconds(3)), T0);
        queue.Enqueue(Row("a", T0.AddSeconds(1)), T0);
        queue.Enqueue(Row("b", T0.AddSeconds(2)), T0);

        var sends = queue.TakeDue(T0.AddSeconds(5));

        Assert.Equal([Wake("a"), Wake("b"), Wake("c")], sends);
        Assert.Equal(0, queue.Queued);
    }

    [Fact]
    public void Should_keep_rows_queued_beyond_the_budget_when_more_are_due_than_MaxInFlight()
    {
        var queue = Queue(maxInFlight: 2);
        foreach (var job in new[] { "a", "b", "c" })
            queue.Enqueue(Row(job, T0), T0);

        var first = queue.TakeDue(T0);
        var again = queue.TakeDue(T0.AddSeconds(1));

        Assert.Equal([Wake("a"), Wake("b")], first);
        Assert.Empty(again);
        Assert.Equal((2, 1), (queue.InFlight, queue.Queued));
    }

    [Fact]
    public void Should_send_the_next_due_row_when_a_send_is_delivered()
    {
        var queue = Queue(maxInFlight: 2);
        foreach (var job in new[] { "a", "b", "c" })
            queue.Enqueue(Row(job, T0), T0);
        queue.TakeDue(T0);

        queue.Delivered();
        var sends = queue.TakeDue(T0.AddSeconds(1));

        Assert.Equal([Wake("c")], sends);
        Assert.Equal(2, queue.InFlight);
    }

    [Fact]
    public void Should_not_gain_budget_when_more_deliveries_are_reported_than_sends()
    {
        var queue = Queue(maxInFlight: 1);
        queue.Delivered();
        queue.Delivered();
        queue.Enqueue(Row("a", T0), T0);
        queue.Enqueue(Row("b", T0), T0);

        var sends = queue.TakeDue(T0);

        Assert.True(sends.Count == 1, "a late or duplicate answer (a timeout, then the reply) must not raise the budget above MaxInFlight");
        Assert.Equal(1, queue.InFlight);
    }

    [Fact]
    public void Should_have_no_next_due_time_when_nothing_is_queued()
    {
        var queue = Queue();

        Assert.Null(queue.NextDueAt);
    }

    [Fact]
    public void Should_name_the_earliest_row_as_next_due_when_budget_remains()
    {
        var queue = Queue();
        queue.Enqueue(Row("late", T0.AddSeconds(5)), T0);
        queue.Enqueue(Row("early", T0.AddSeconds(3)), T0);

        Assert.Equal(T0.AddSeconds(3), queue.NextDueAt);
    }

    [Fact]
    public void Should_have_no_next_due_time_when_the_budget_is_spent()
    {
        var queue = Queue(maxInFlight: 1);
        queue.Enqueue(Row("a", T0), T0);
        queue.Enqueue(Row("b", T0.AddSeconds(4)), T0);
        queue.TakeDue(T0);

        Assert.True(queue.NextDueAt is null, "without budget the scheduler's timer must not fire: there is nothing it could send");
        queue.Delivered();
        Assert.Equal(T0.AddSeconds(4), queue.NextDueAt);
    }

    [Fact]
    public void Should_replace_a_jobs_earlier_row_when_a_later_row_of_the_job_arrives()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0.AddSeconds(10), generation: 1), T0);
        queue.Enqueue(Row("a", T0.AddSeconds(20), generation: 2), T0.AddSeconds(1));

        Assert.Equal(1, queue.Queued);
        Assert.Empty(queue.TakeDue(T0.AddSeconds(10)));
        Assert.Equal([Wake("a", 2)], queue.TakeDue(T0.AddSeconds(20)));
    }

    [Fact]
    public void Should_send_a_job_once_at_its_new_time_when_its_row_moves_earlier()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0.AddSeconds(20), generation: 1), T0);
        queue.Enqueue(Row("a", T0.AddSeconds(5), generation: 2), T0.AddSeconds(1));

        Assert.Equal([Wake("a", 2)], queue.TakeDue(T0.AddSeconds(5)));
        Assert.True(queue.TakeDue(T0.AddSeconds(20)).Count == 0, "the replaced row must have left the queue with its time");
    }

    // Resend suppression

    [Fact]
    public void Should_not_send_the_same_generation_again_when_it_is_read_again_within_ResendAfter()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0), T0);
        queue.TakeDue(T0);
        var justBefore = T0 + ResendAfter - TimeSpan.FromTicks(1);

        queue.Enqueue(Row("a", T0), justBefore);

        Assert.Equal(0, queue.Queued);
        Assert.Empty(queue.TakeDue(justBefore));
    }

    [Fact]
    public void Should_send_the_same_generation_again_when_ResendAfter_has_passed()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0), T0);
        queue.TakeDue(T0);

        queue.Enqueue(Row("a", T0), T0 + ResendAfter);

        Assert.Equal([Wake("a")], queue.TakeDue(T0 + ResendAfter));
    }

    [Fact]
    public void Should_send_a_new_generation_at_once_when_an_older_one_was_just_sent()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0, generation: 1), T0);
        queue.TakeDue(T0);

        queue.Enqueue(Row("a", T0.AddSeconds(1), generation: 2), T0.AddSeconds(1));

        Assert.Equal([Wake("a", 2)], queue.TakeDue(T0.AddSeconds(1)));
    }

    [Fact]
    public void Should_send_a_just_sent_row_again_when_sends_are_forgotten()
    {
        var queue = Queue();
        queue.Enqueue(Row("a", T0), T0);
        queue.TakeDue(T0);

        queue.ForgetSends();
        queue.Enqueue(Row("a", T0), T0.AddSeconds(2));

        Assert.Equal([Wake("a")], queue.TakeDue(T0.AddSeconds(2)));
    }

    [Fact]
    public void Should_keep_recent_sends_when_more_than_SentMemory_are_remembered()
    {
        var queue = Queue(maxInFlight: WakeQueue.SentMemory + 10);
        var jobs = Enumerable.Range(0, WakeQueue.SentMemory).Select(i => $"job-{i:D5}").ToList();
        foreach (var job in jobs)
            queue.Enqueue(Row(job, T0), T0);
        Assert.Equal(WakeQueue.SentMemory, queue.TakeDue(T0).Count);
        var later = T0 + ResendAfter / 2;
        queue.Enqueue(Row("one-more", later), later);
        queue.TakeDue(later);

        queue.Enqueue(Row(jobs[0], T0), later);
        queue.Enqueue(Row(jobs[^1], T0), later);

        Assert.True(queue.Queued == 0, "pruning the memory of sends must forget only those older than ResendAfter");
        Assert.Empty(queue.TakeDue(later));
    }

    // Warming

    [Fact]
    public void Should_warm_a_row_due_beyond_WarmAhead_with_the_budget_left_after_due_rows()
    {
        var queue = Queue(warmAhead: WarmAhead);
        queue.Enqueue(Row("later", T0.AddSeconds(10)), T0);
        queue.Enqueue(Row("now", T0), T0);

        var sends = queue.TakeDue(T0);

        Assert.Equal<WakeSend>([Wake("now"), Warm("later")], sends);
        Assert.Equal(2, queue.InFlight);
    }

    [Fact]
    public void Should_wait_with_a_warm_up_when_due_rows_take_the_whole_budget()
    {
        var queue = Queue(maxInFlight: 1, warmAhead: WarmAhead);
        queue.Enqueue(Row("later", T0.AddSeconds(10)), T0);
        queue.Enqueue(Row("now", T0), T0);

        var first = queue.TakeDue(T0);
        queue.Delivered();
        var second = queue.TakeDue(T0.AddSeconds(1));

        Assert.Equal([Wake("now")], first);
        Assert.Equal([Warm("later")], second);
    }

    [Fact]
    public void Should_move_a_warmed_row_to_its_backstop_when_it_is_warmed()
    {
        var queue = Queue(warmAhead: WarmAhead);
        var due = T0.AddSeconds(10);
        queue.Enqueue(Row("a", due), T0);

        queue.TakeDue(T0);

        Assert.Equal(due + Backstop, queue.NextDueAt);
        Assert.True(queue.TakeDue(due).Count == 0, "a warmed job fires on its own timer; its row must not compete at the due instant");
        Assert.Equal([Wake("a")], queue.TakeDue(due + Backstop));
    }

    [Fact]
    public void Should_not_warm_a_row_when_it_is_within_WarmAhead_on_arrival()
    {
        var queue = Queue(warmAhead: WarmAhead);
        queue.Enqueue(Row("a", T0 + WarmAhead), T0);

        Assert.Empty(queue.TakeDue(T0));
        Assert.Equal(T0 + WarmAhead, queue.NextDueAt);
    }

    [Fact]
    public void Should_not_warm_a_row_when_it_has_come_within_WarmAhead_by_the_time_budget_frees()
    {
        var queue = Queue(maxInFlight: 1, warmAhead: WarmAhead);
        var due = T0.AddSeconds(10);
        queue.Enqueue(Row("now", T0), T0);
        queue.Enqueue(Row("a", due), T0);
        queue.TakeDue(T0);

        queue.Delivered();
        var nearlyDue = due - WarmAhead;

        Assert.Empty(queue.TakeDue(nearlyDue));
        Assert.True(queue.NextDueAt == due, "a row not warmed keeps its due instant, not the backstop");
        Assert.Equal([Wake("a")], queue.TakeDue(due));
    }

    [Fact]
    public void Should_not_warm_a_stale_generation_when_a_newer_row_of_the_job_replaced_it()
    {
        var queue = Queue(warmAhead: WarmAhead);
        queue.Enqueue(Row("a", T0.AddSeconds(10), generation: 1), T0);
        queue.Enqueue(Row("a", T0 + WarmAhead, generation: 2), T0);

        Assert.Empty(queue.TakeDue(T0));
        Assert.Equal(T0 + WarmAhead, queue.NextDueAt);
    }

    [Fact]
    public void Should_not_warm_the_same_generation_twice_when_its_row_is_read_again()
    {
        var queue = Queue(warmAhead: WarmAhead);
        var due = T0.AddSeconds(30);
        queue.Enqueue(Row("a", due), T0);
        queue.TakeDue(T0);

        queue.Enqueue(Row("a", due), T0.AddSeconds(5));

        Assert.Empty(queue.TakeDue(T0.AddSeconds(5)));
    }

    [Fact]
    public void Should_keep_a_warmed_row_at_its_backstop_when_the_index_reads_it_again()
    {
        // The index holds the row at its due instant until the job fires, and every poll within the lookahead
        // (5 s polls, 30 s lookahead by default) reads it again.
        var queue = Queue(warmAhead: WarmAhead);
        var due = T0.AddSeconds(30);
        queue.Enqueue(Row("a", due), T0);
        queue.TakeDue(T0);

        queue.Enqueue(Row("a", due), T0.AddSeconds(5));

        Assert.True(queue.NextDueAt == due + Backstop,
            $"a warmed job fires on its own timer; a re-read of its unchanged row must leave the row at its backstop, but it is due at {queue.NextDueAt:O}");
        Assert.Empty(queue.TakeDue(due));
    }

    [Fact]
    public void Should_warm_a_row_again_when_sends_are_forgotten()
    {
        var queue = Queue(warmAhead: WarmAhead);
        var due = T0.AddSeconds(30);
        queue.Enqueue(Row("a", due), T0);
        queue.TakeDue(T0);
        queue.Delivered();

        queue.ForgetSends();
        queue.Enqueue(Row("a", due), T0.AddSeconds(5));

        Assert.Equal([Warm("a")], queue.TakeDue(T0.AddSeconds(5)));
    }

    [Theory]
    [InlineData(WakeQueue.WarmedMemory, false)]
    [InlineData(WakeQueue.WarmedMemory + 1, true)]
    public void Should_forget_warm_ups_only_when_more_than_WarmedMemory_are_remembered(int warmed, bool warmedAgain)
    {
        var queue = Queue(maxInFlight: warmed + 10, warmAhead: WarmAhead);
        var due = T0.AddSeconds(90);
        for (var i = 0; i < warmed; i++)
            queue.Enqueue(Row($"job-{i:D6}", due), T0);
        Assert.Equal(warmed, queue.TakeDue(T0).Count);

        // Read again once a warm-up no longer counts as a recent send of its generation.
        var later = T0 + ResendAfter + TimeSpan.FromSeconds(1);
        queue.Enqueue(Row("job-000000", due), later);
        var sends = queue.TakeDue(later);

        WakeSend[] expected = warmedAgain ? [Warm("job-000000")] : [];
        Assert.Equal(expected, sends);
    }
}
