using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Policies;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Policies;

public sealed class RetryPolicySpecs
{
    private static readonly RetrySpec Backoff = new()
    {
        MaxAttempts = 8, Delay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(10),
    };

    private static readonly DateTimeOffset FailedAt = Utc("2026-01-01T10:00:00Z");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(6, 10)]
    [InlineData(7, 10)]
    public void Should_wait_the_doubled_delay_capped_at_max_delay_when_attempt_k_failed(int failedAttempt, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryPolicy.DelayAfter(Backoff, failedAttempt));
        Assert.Equal(FailedAt.AddSeconds(expectedSeconds), RetryPolicy.NextAttemptAt(Backoff, failedAttempt, FailedAt));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    public void Should_give_up_when_the_last_allowed_attempt_failed(int failedAttempt)
    {
        Assert.Null(RetryPolicy.NextAttemptAt(Backoff, failedAttempt, FailedAt));
    }

    [Fact]
    public void Should_not_retry_when_the_job_has_no_retry_spec()
    {
        Assert.Null(RetryPolicy.NextAttemptAt(new JobDefinition().EffectiveRetry, 1, FailedAt));
    }

    [Fact]
    public void Should_keep_the_delay_constant_when_the_multiplier_is_one()
    {
        var constant = new RetrySpec { MaxAttempts = 5, Delay = TimeSpan.FromSeconds(3), Multiplier = 1 };

        Assert.All(Enumerable.Range(1, 4), k => Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.DelayAfter(constant, k)));
    }

    [Fact]
    public void Should_give_up_instead_of_overflowing_when_an_uncapped_backoff_passes_the_end_of_the_calendar()
    {
        // Valid per the validator (up to 1000 attempts, no maxDelay): 2^99 seconds is past year 9999.
        var uncapped = new RetrySpec { MaxAttempts = 1000, Delay = TimeSpan.FromSeconds(1), Multiplier = 2 };

        Assert.Equal(TimeSpan.MaxValue, RetryPolicy.DelayAfter(uncapped, 100));
        Assert.Null(RetryPolicy.NextAttemptAt(uncapped, 100, FailedAt));
    }
}

public sealed class TimeoutPolicySpecs
{
    private static readonly DateTimeOffset StartedAt = Utc("2026-01-01T10:00:00Z");

    [Fact]
    public void Should_set_the_deadline_timeout_after_the_start_when_a_timeout_is_given()
    {
        Assert.Equal(Utc("2026-01-01T10:05:00Z"), TimeoutPolicy.Deadline(TimeSpan.FromMinutes(5), StartedAt));
    }

    [Fact]
    public void Should_have_no_deadline_when_there_is_no_timeout()
    {
        Assert.Null(TimeoutPolicy.Deadline(null, StartedAt));
        Assert.False(TimeoutPolicy.IsOverdue(null, StartedAt, StartedAt.AddYears(100)));
    }

    [Fact]
    public void Should_have_no_deadline_when_it_would_pass_the_end_of_the_calendar()
    {
        Assert.Null(TimeoutPolicy.Deadline(TimeSpan.MaxValue, StartedAt));
    }

    [Theory]
    [InlineData("2026-01-01T10:04:59.9999999Z", false)]
    [InlineData("2026-01-01T10:05:00Z", true)]
    [InlineData("2026-01-01T11:00:00Z", true)]
    public void Should_be_overdue_from_the_deadline_on_when_the_run_is_still_going(string now, bool overdue)
    {
        Assert.Equal(overdue, TimeoutPolicy.IsOverdue(TimeSpan.FromMinutes(5), StartedAt, Utc(now)));
    }
}
