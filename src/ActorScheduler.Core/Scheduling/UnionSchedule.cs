namespace ActorScheduler.Core.Scheduling;

/// <summary>Several schedules as one: every instant any of them has, once (two that coincide are one occurrence).</summary>
public sealed class UnionSchedule(IReadOnlyList<Schedule> parts) : Schedule
{
    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        DateTimeOffset? earliest = null;
        foreach (var part in parts)
            if (part.NextAfter(after) is { } next && (earliest is null || next < earliest))
                earliest = next;
        return earliest;
    }
}
