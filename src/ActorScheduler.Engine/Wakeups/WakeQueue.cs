using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Wakeups;

/// <summary>What the wake-up scheduler sends: a wake-up of one generation, or a recovery ahead of time (warming).</summary>
public abstract record WakeSend(JobId JobId);

/// <summary>Due now: <see cref="Core.Jobs.WakeUp"/> with the row's generation.</summary>
public sealed record SendWake(JobId JobId, long Generation) : WakeSend(JobId);

/// <summary>Due soon: recover the job now (it then fires on its own timer), with budget left over.</summary>
public sealed record SendWarm(JobId JobId) : WakeSend(JobId);

/// <summary>
/// The wake-up scheduler's queue, without an actor: the rows read from the time index (one per job, the latest
/// wins), what is due at a given instant, and the budget of wake-ups in flight. Delivery is at-least-once: a row
/// sent is not sent again for the same generation within <see cref="WakeSettings.ResendAfter"/>, and a job ignores
/// a stale generation. With budget left over, jobs coming due are recovered ahead of time (warmed): a warmed job
/// keeps itself in memory and fires on its own timer, and its row stays queued a little past the due instant only
/// as a backstop (then stale and ignored), so it does not compete with the firing.
/// </summary>
public sealed class WakeQueue(WakeSettings settings)
{
    /// <summary>Past this many remembered sends, those older than the resend interval are forgotten (at each send).</summary>
    public const int SentMemory = 10_000;

    /// <summary>Past this many remembered warm-ups, and nothing left to warm, the memory is cleared.</summary>
    public const int WarmedMemory = 100_000;

    private sealed class ByTimeThenId : IComparer<(DateTimeOffset At, JobId JobId)>
    {
        public int Compare((DateTimeOffset At, JobId JobId) x, (DateTimeOffset At, JobId JobId) y) =>
            x.At != y.At ? x.At.CompareTo(y.At) : string.CompareOrdinal(x.JobId.Value, y.JobId.Value);
    }

    private readonly SortedSet<(DateTimeOffset At, JobId JobId)> _queue = new(new ByTimeThenId());
    private readonly Dictionary<JobId, DueWake> _byJob = new();
    private readonly Dictionary<JobId, (long Generation, DateTimeOffset SentAt)> _sent = new();
    private readonly Queue<DueWake> _toWarm = new();
    private readonly HashSet<(JobId JobId, long Generation)> _warmed = new();

    /// <summary>Sends not yet answered; never more than <see cref="WakeSettings.MaxInFlight"/>.</summary>
    public int InFlight { get; private set; }

    public int Queued => _queue.Count;

    /// <summary>When the next row comes due, if there is one and budget to send it; the scheduler's timer.</summary>
    public DateTimeOffset? NextDueAt => _queue.Count > 0 && InFlight < settings.MaxInFlight ? _queue.Min.At : null;

    /// <summary>A row from the time index (or a new job's): queued, unless just sent for the same generation.</summary>
    public void Enqueue(DueWake row, DateTimeOffset now)
    {
        if (_sent.TryGetValue(row.JobId, out var sent) && sent.Generation == row.Generation && now - sent.SentAt < settings.ResendAfter)
            return;
        if (_byJob.Remove(row.JobId, out var previous))
            _queue.Remove((previous.WakeAt, previous.JobId));
        _byJob[row.JobId] = row;
        _queue.Add((row.WakeAt, row.JobId));
        if (row.WakeAt - now > settings.WarmAhead && _warmed.Add((row.JobId, row.Generation)))
            _toWarm.Enqueue(row);
    }

    /// <summary>What to send at <paramref name="now"/>: rows due first, then warm-ups, within the budget.</summary>
    public IReadOnlyList<WakeSend> TakeDue(DateTimeOffset now)
    {
        var sends = new List<WakeSend>();
        while (InFlight < settings.MaxInFlight && _queue.Count > 0 && _queue.Min.At <= now)
        {
            var (_, jobId) = _queue.Min;
            _queue.Remove(_queue.Min);
            _byJob.Remove(jobId, out var row);
            _sent[jobId] = (row!.Generation, now);
            InFlight++;
            sends.Add(new SendWake(jobId, row.Generation));
        }
        while (InFlight < settings.MaxInFlight && _toWarm.TryDequeue(out var warm))
        {
            if (warm.WakeAt - now <= settings.WarmAhead || !_byJob.TryGetValue(warm.JobId, out var current) || current.Generation != warm.Generation)
                continue;
            _queue.Remove((current.WakeAt, current.JobId));
            var backstop = current.WakeAt + settings.WarmedBackstop;
            _byJob[warm.JobId] = current with { WakeAt = backstop };
            _queue.Add((backstop, current.JobId));
            // Counted as a send of this generation: the index, read again before the job is due, must not move the
            // row back from its backstop to the due instant.
            _sent[warm.JobId] = (current.Generation, now);
            InFlight++;
            sends.Add(new SendWarm(warm.JobId));
        }
        ForgetOldSends(now);
        return sends;
    }

    /// <summary>A send was answered (or timed out): its budget is free again.</summary>
    public void Delivered() => InFlight = Math.Max(0, InFlight - 1);

    /// <summary>
    /// A scheduler node is gone for good: the wake-ups sent to its jobs since it became unreachable were lost with it,
    /// so what was sent or warmed is forgotten and the next read of the index sends them again.
    /// </summary>
    public void ForgetSends()
    {
        _sent.Clear();
        _warmed.Clear();
    }

    private void ForgetOldSends(DateTimeOffset now)
    {
        if (_warmed.Count > WarmedMemory && _toWarm.Count == 0)
            _warmed.Clear();
        if (_sent.Count < SentMemory)
            return;
        foreach (var old in _sent.Where(s => now - s.Value.SentAt >= settings.ResendAfter).Select(s => s.Key).ToList())
            _sent.Remove(old);
    }
}

/// <param name="PollInterval">How often the time index is read.</param>
/// <param name="Lookahead">How far ahead each read looks; must exceed the poll interval.</param>
/// <param name="MaxLoaded">Rows held in memory per read.</param>
/// <param name="MaxInFlight">Wake-ups awaiting an answer at once (the catch-up budget).</param>
/// <param name="ResendAfter">A wake-up for the same generation is not repeated sooner than this.</param>
/// <param name="DeliveryTimeout">How long a wake-up may take to be answered (recovery included).</param>
/// <param name="WarmAhead">Jobs due further ahead than this are recovered early with spare budget.</param>
/// <param name="WarmedBackstop">How long after its due instant a warmed job's row is sent anyway.</param>
/// <param name="RewakeDelay">After a scheduler node is removed, the index is read again this long later, and four times this long later.</param>
public sealed record WakeSettings(
    TimeSpan PollInterval, TimeSpan Lookahead, int MaxLoaded, int MaxInFlight, TimeSpan ResendAfter, TimeSpan DeliveryTimeout,
    TimeSpan WarmAhead, TimeSpan WarmedBackstop, TimeSpan RewakeDelay);
