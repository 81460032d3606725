using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// A schedule whose every occurrence n is moved to n + d(n), d(n) in [0, min(jitter, gap to the next occurrence)):
/// spread, yet still in order and never on or past the next one. d(n) comes from SHA-256 of the job id and n's
/// instant, so a job computes the same delays on every node, after every replay and in every version; the jittered
/// instants are the job's occurrences (its <c>nextDueAt</c>, <c>scheduledFor</c> and misfire lateness all count from
/// them, so the delay is never taken for lateness).
/// </summary>
public sealed class JitteredSchedule : Schedule
{
    private readonly Schedule _nominal;
    private readonly byte[] _jobId;
    private readonly TimeSpan _jitter;

    public JitteredSchedule(Schedule nominal, string jobId, TimeSpan jitter)
    {
        if (jitter <= TimeSpan.Zero)
            throw new ArgumentException($"Jitter must be positive, not {jitter}.", nameof(jitter));
        _nominal = nominal;
        _jobId = Encoding.UTF8.GetBytes(jobId);
        _jitter = jitter;
    }

    /// <summary>The instant the nominal occurrence <paramref name="nominal"/> fires at.</summary>
    public DateTimeOffset Delayed(DateTimeOffset nominal) => Delayed(nominal, _nominal.NextAfter(nominal));

    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        // Delays keep the order (each fires before the next nominal occurrence), so only the last nominal occurrence
        // at or before `after` can fire after it, and otherwise the first one after it.
        var next = _nominal.NextAfter(after);
        if (LastAtOrBefore(after) is { } last && Delayed(last, next) is var fired && fired > after)
            return fired;
        return next is { } n ? Delayed(n) : null;
    }

    public override IEnumerable<DateTimeOffset> OccurrencesAfter(DateTimeOffset after)
    {
        if (NextAfter(after) is not { } first)
            yield break;
        yield return first;
        // Walk the nominal occurrences from the one behind `first`, one NextAfter each.
        var nominal = LastAtOrBefore(first) ?? first;
        while (_nominal.NextAfter(nominal) is { } next)
        {
            yield return Delayed(next);
            nominal = next;
        }
    }

    private DateTimeOffset Delayed(DateTimeOffset nominal, DateTimeOffset? following)
    {
        var cap = following is { } f && f - nominal < _jitter ? f - nominal : _jitter;
        var ticks = (long)(((UInt128)Fraction(nominal) * (ulong)cap.Ticks) >> 64);
        return DateTimeOffset.MaxValue - nominal < TimeSpan.FromTicks(ticks) ? nominal : nominal.AddTicks(ticks);
    }

    /// <summary>A uniform 64-bit value from (job id, instant): the same in every process and version.</summary>
    private ulong Fraction(DateTimeOffset nominal)
    {
        Span<byte> input = stackalloc byte[_jobId.Length + 8];
        _jobId.CopyTo(input);
        BinaryPrimitives.WriteInt64LittleEndian(input[_jobId.Length..], nominal.UtcTicks);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>
    /// The last nominal occurrence in (t - jitter, t], or null: no earlier one can fire after t. Found by galloping
    /// back from t and then bisecting, so it costs a few dozen NextAfter calls however dense the schedule is.
    /// </summary>
    private DateTimeOffset? LastAtOrBefore(DateTimeOffset t)
    {
        var floor = t - DateTimeOffset.MinValue > _jitter ? t - _jitter : DateTimeOffset.MinValue;
        bool AnyIn(DateTimeOffset exclusiveStart) => _nominal.NextAfter(exclusiveStart) is { } n && n <= t;

        // Invariant: an occurrence lies in (low, t], none in (high, t].
        var high = t;
        DateTimeOffset low;
        for (long back = 1; ; back *= 2)
        {
            var probe = t - floor > TimeSpan.FromTicks(back) ? t.AddTicks(-back) : floor;
            if (AnyIn(probe)) { low = probe; break; }
            if (probe == floor) return null;
            high = probe;
        }
        while (high.UtcTicks - low.UtcTicks > 1)
        {
            var mid = low.AddTicks((high.UtcTicks - low.UtcTicks) / 2);
            if (AnyIn(mid)) low = mid; else high = mid;
        }
        return _nominal.NextAfter(low);
    }
}
