using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Policies;

/// <summary>
/// Exponential backoff: after failed attempt k (1-based) of <c>maxAttempts</c>, the next attempt waits
/// delay × multiplier^(k-1), capped at maxDelay. Lost and timed-out attempts count as failures.
/// </summary>
public static class RetryPolicy
{
    /// <summary>When to start the next attempt, or null to give up.</summary>
    public static DateTimeOffset? NextAttemptAt(RetrySpec retry, int failedAttempt, DateTimeOffset failedAt)
    {
        if (failedAttempt >= retry.MaxAttempts)
            return null;
        // An uncapped backoff can outgrow the calendar; a retry that can never come is giving up.
        var delay = DelayAfter(retry, failedAttempt);
        return DateTimeOffset.MaxValue - failedAt < delay ? null : failedAt + delay;
    }

    public static TimeSpan DelayAfter(RetrySpec retry, int failedAttempt)
    {
        var ticks = retry.Delay.Ticks * Math.Pow(retry.Multiplier, Math.Max(0, failedAttempt - 1));
        var cap = (retry.MaxDelay ?? TimeSpan.MaxValue).Ticks;
        return double.IsNaN(ticks) || ticks >= cap ? TimeSpan.FromTicks(cap) : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>A run's deadline: started + timeout, or none.</summary>
public static class TimeoutPolicy
{
    public static DateTimeOffset? Deadline(TimeSpan? timeout, DateTimeOffset startedAt) =>
        timeout is { } t && DateTimeOffset.MaxValue - startedAt > t ? startedAt + t : null;

    public static bool IsOverdue(TimeSpan? timeout, DateTimeOffset startedAt, DateTimeOffset now) =>
        Deadline(timeout, startedAt) is { } deadline && now >= deadline;
}
