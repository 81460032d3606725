using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Policies;

/// <summary>
/// Concurrency permits without an actor: at most the limit of runs of a key hold a permit, the others wait in the
/// order they asked, asking again is harmless, reclaims count runs already going, and waiting is bounded.
/// </summary>
public sealed class PermitBookSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RunId Run(string job, int n = 1) => new(JobId.Parse(job), n);

    private static PermitBook<string> Open(int maxWaiting = 100)
    {
        var book = new PermitBook<string>(maxWaiting);
        Assert.Empty(book.Open(T0));
        return book;
    }

    [Fact]
    public void Should_grant_up_to_the_limit_and_queue_the_rest_when_runs_of_one_key_ask()
    {
        var book = Open();

        var answers = Enumerable.Range(1, 4).Select(n => book.Acquire("k", 2, Run("a", n), "d1", T0)).ToList();

        Assert.Equal([PermitAnswer.Granted, PermitAnswer.Granted, PermitAnswer.Queued, PermitAnswer.Queued], answers);
        Assert.Equal([Run("a", 3), Run("a", 4)], book.WaitersOf("k"));
    }

    [Fact]
    public void Should_grant_waiting_runs_in_the_order_they_asked_when_permits_are_released()
    {
        var book = Open();
        book.Acquire("k", 1, Run("a"), "d1", T0);
        book.Acquire("k", 1, Run("c"), "d2", T0);
        book.Acquire("k", 1, Run("b"), "d3", T0);

        var first = book.Release(Run("a"), T0);
        var second = book.Release(Run("c"), T0);

        Assert.Equal([new PermitGrant<string>("k", Run("c"), "d2")], first);
        Assert.Equal([new PermitGrant<string>("k", Run("b"), "d3")], second);
        Assert.True(book.Holds(Run("b")));
        Assert.Equal(1, book.Held);
    }

    [Fact]
    public void Should_keep_keys_apart_when_runs_of_different_keys_ask()
    {
        var book = Open();
        book.Acquire("k1", 1, Run("a"), "d", T0);

        Assert.Equal(PermitAnswer.Granted, book.Acquire("k2", 1, Run("b"), "d", T0));
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k1", 1, Run("c"), "d", T0));
        Assert.Empty(book.Release(Run("b"), T0)); // k2's release frees nothing of k1
    }

    [Fact]
    public void Should_only_update_who_hears_when_a_run_that_holds_or_waits_asks_again()
    {
        var book = Open();
        book.Acquire("k", 1, Run("a"), "d1", T0);
        book.Acquire("k", 1, Run("b"), "d1", T0);

        Assert.Equal(PermitAnswer.Granted, book.Acquire("k", 1, Run("a"), "d2", T0));
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 1, Run("b"), "d2", T0));
        Assert.Equal(1, book.Held);
        Assert.Equal(1, book.Waiting);
        var granted = Assert.Single(book.Release(Run("a"), T0));
        Assert.True(granted.Requester == "d2", "the dispatcher that asked last is the one that has the run now");
    }

    [Fact]
    public void Should_change_nothing_when_a_run_is_released_twice_or_was_never_known()
    {
        var book = Open();
        book.Acquire("k", 1, Run("a"), "d", T0);
        book.Acquire("k", 1, Run("b"), "d", T0);
        book.Release(Run("a"), T0);

        Assert.Empty(book.Release(Run("a"), T0));
        Assert.Empty(book.Release(Run("zzz"), T0));
        Assert.True(book.Holds(Run("b")));
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 1, Run("c"), "d", T0));
    }

    [Fact]
    public void Should_withdraw_a_waiting_run_without_granting_it_when_it_is_released_while_waiting()
    {
        var book = Open();
        book.Acquire("k", 1, Run("a"), "d", T0);
        book.Acquire("k", 1, Run("b"), "d", T0);
        book.Acquire("k", 1, Run("c"), "d", T0);

        Assert.Empty(book.Release(Run("b"), T0));
        var granted = Assert.Single(book.Release(Run("a"), T0));

        Assert.Equal(Run("c"), granted.RunId);
        Assert.False(book.IsWaiting(Run("b")));
    }

    [Fact]
    public void Should_count_a_reclaimed_run_beyond_the_limit_and_grant_nothing_until_it_is_released_when_the_book_is_rebuilt()
    {
        var book = new PermitBook<string>(100);
        book.Acquire("k", 1, Run("w"), "d1", T0); // asked before the dispatchers told what they hold
        book.Reclaim("k", Run("a"), "d1", T0);
        book.Reclaim("k", Run("b"), "d2", T0);

        Assert.Empty(book.Open(T0));
        Assert.Equal(2, book.HoldersOf("k").Count);
        Assert.Empty(book.Release(Run("a"), T0));
        Assert.Equal(Run("w"), Assert.Single(book.Release(Run("b"), T0)).RunId);
    }

    [Fact]
    public void Should_grant_nothing_new_before_the_book_opens_and_the_waiting_runs_in_order_when_it_does()
    {
        var book = new PermitBook<string>(100);

        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 2, Run("a"), "d", T0));
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 2, Run("b"), "d", T0));
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 2, Run("c"), "d", T0));

        Assert.Equal([Run("a"), Run("b")], book.Open(T0).Select(g => g.RunId));
        Assert.Equal([Run("c")], book.WaitersOf("k"));
    }

    [Fact]
    public void Should_stop_waiting_a_run_it_reclaims_when_the_run_was_queued()
    {
        var book = Open();
        book.Acquire("k", 1, Run("a"), "d", T0);
        book.Acquire("k", 1, Run("b"), "d", T0);

        book.Reclaim("k", Run("b"), "d", T0);

        Assert.False(book.IsWaiting(Run("b")));
        Assert.Equal(2, book.Held);
    }

    [Fact]
    public void Should_refuse_a_run_beyond_the_bound_on_waiting_runs_and_queue_again_once_one_leaves()
    {
        var book = Open(maxWaiting: 2);
        book.Acquire("k", 1, Run("a"), "d", T0);
        book.Acquire("k", 1, Run("b"), "d", T0);
        book.Acquire("other", 1, Run("x"), "d", T0);
        book.Acquire("other", 1, Run("c"), "d", T0);

        Assert.True(book.Acquire("third", 1, Run("d"), "d", T0) == PermitAnswer.Granted, "a free permit is granted at the bound: only waiting is bounded");
        Assert.Equal(PermitAnswer.Refused, book.Acquire("k", 1, Run("e"), "d", T0));
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 1, Run("b"), "d", T0)); // asking again is no new waiter
        book.Release(Run("a"), T0);
        Assert.Equal(PermitAnswer.Queued, book.Acquire("k", 1, Run("e"), "d", T0));
        Assert.Equal(2, book.Waiting);
    }

    [Fact]
    public void Should_keep_later_runs_waiting_behind_the_first_when_it_brings_a_lower_limit()
    {
        var book = Open();
        book.Acquire("k", 2, Run("a"), "d", T0);
        book.Acquire("k", 2, Run("b"), "d", T0);
        book.Acquire("k", 1, Run("strict"), "d", T0);
        book.Acquire("k", 2, Run("c"), "d", T0);

        Assert.Empty(book.Release(Run("a"), T0)); // one holder left, and "strict" allows none beside it
        Assert.Equal([Run("strict"), Run("c")], book.WaitersOf("k"));
        Assert.Equal([Run("strict"), Run("c")], book.Release(Run("b"), T0).Select(g => g.RunId));
    }

    [Fact]
    public void Should_number_a_permit_anew_when_a_run_that_released_it_is_granted_again()
    {
        var book = Open();
        book.Acquire("k", 1, Run("a"), "d", T0);
        var first = book.GrantOf(Run("a"));
        book.Acquire("k", 1, Run("a"), "d", T0);
        Assert.Equal(first, book.GrantOf(Run("a"))); // asking again is the same grant

        book.Release(Run("a"), T0);
        Assert.Null(book.GrantOf(Run("a")));
        book.Acquire("k", 1, Run("a"), "d", T0);

        Assert.NotEqual(first, book.GrantOf(Run("a")));
    }

    [Fact]
    public void Should_list_for_checking_only_permits_not_checked_since_the_given_instant()
    {
        var book = Open();
        book.Acquire("k", 3, Run("old"), "d", T0);
        book.Acquire("k", 3, Run("young"), "d", T0.AddMinutes(5));
        book.Acquire("k", 3, Run("checked"), "d", T0);
        book.Checked(Run("checked"), T0.AddMinutes(6));

        Assert.Equal([Run("old")], book.DueForCheck(T0.AddMinutes(1), max: 10));
        Assert.Equal([Run("old"), Run("young")], book.DueForCheck(T0.AddMinutes(5), max: 10));
        Assert.Equal([Run("old")], book.DueForCheck(T0.AddMinutes(10), max: 1));
    }

    [Fact]
    public void Should_never_exceed_the_limit_nor_lose_a_run_when_runs_ask_and_release_in_any_order()
    {
        var random = new Random(16);
        var book = Open(maxWaiting: 1_000);
        var holding = new HashSet<RunId>();
        var waiting = new List<RunId>();
        for (var step = 0; step < 5_000; step++)
        {
            var run = Run("j", random.Next(1, 40));
            if (random.Next(3) > 0)
            {
                var answer = book.Acquire("k", 3, run, "d", T0);
                if (answer == PermitAnswer.Granted) holding.Add(run);
                else if (!waiting.Contains(run)) waiting.Add(run);
            }
            else
            {
                waiting.Remove(run);
                holding.Remove(run);
                foreach (var grant in book.Release(run, T0))
                {
                    Assert.True(grant.RunId == waiting[0], "a waiting run is granted only when every run before it was");
                    waiting.RemoveAt(0);
                    holding.Add(grant.RunId);
                }
            }
            Assert.True(holding.Count <= 3, $"step {step}: {holding.Count} runs hold a permit of a key limited to 3");
            Assert.Equal(holding.Count, book.Held);
            Assert.Equal(waiting, book.WaitersOf("k"));
            Assert.True(waiting.Count == 0 || holding.Count == 3, $"step {step}: runs wait while a permit is free");
        }
    }
}
