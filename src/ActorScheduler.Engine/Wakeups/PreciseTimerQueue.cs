using Akka.Actor;

namespace ActorScheduler.Engine.Wakeups;

/// <summary>
/// One armed timer of <see cref="PreciseTimer"/>: <see cref="Message"/> goes to <see cref="Target"/> at
/// <see cref="At"/>. <see cref="Cancel"/> is idempotent and safe from any thread; a message already sent stays sent
/// (the wake-up it carries has its own staleness check: the job's generation and due instant).
/// </summary>
public sealed class PreciseTimerHandle
{
    private readonly PreciseTimerQueue _queue;

    internal PreciseTimerHandle(PreciseTimerQueue queue, DateTimeOffset at, IActorRef target, object message, long order) =>
        (_queue, At, Target, Message, Order) = (queue, at, target, message, order);

    public DateTimeOffset At { get; }

    public IActorRef Target { get; }

    public object Message { get; }

    /// <summary>Arming order: of two timers due at the same instant, the earlier armed fires first.</summary>
    internal long Order { get; }

    /// <summary>Set under the queue's lock: canceled, or taken to be sent.</summary>
    internal bool Done { get; set; }

    public void Cancel() => _queue.Cancel(this);
}

/// <summary>
/// The armed timers of <see cref="PreciseTimer"/>, earliest first: a min-heap with lazy removal (a canceled timer
/// stays in the heap until it comes up or the heap is compacted). At most <c>maxArmed</c> live timers; arming beyond
/// that is refused, and the caller falls back to Akka's own timers. Thread-safe: every member takes the one lock.
/// </summary>
public sealed class PreciseTimerQueue(int maxArmed)
{
    // Compact once the canceled entries outnumber the live ones by this much: a job re-arms on every event.
    private const int CompactSlack = 1024;

    private readonly PriorityQueue<PreciseTimerHandle, (DateTimeOffset At, long Order)> _heap = new();
    private long _armedTotal;

    public object Gate { get; } = new();

    /// <summary>Timers armed and neither canceled nor sent.</summary>
    public int Live { get; private set; }

    public int MaxArmed => maxArmed;

    /// <summary>Arms a timer, or null when <see cref="MaxArmed"/> timers are live already.</summary>
    public PreciseTimerHandle? TryArm(DateTimeOffset at, IActorRef target, object message)
    {
        lock (Gate)
        {
            if (Live >= maxArmed)
                return null;
            var handle = new PreciseTimerHandle(this, at, target, message, _armedTotal++);
            _heap.Enqueue(handle, (at, handle.Order));
            Live++;
            return handle;
        }
    }

    internal void Cancel(PreciseTimerHandle handle)
    {
        lock (Gate)
        {
            if (handle.Done)
                return;
            handle.Done = true;
            Live--;
            if (_heap.Count - Live > Live + CompactSlack)
                Compact();
        }
    }

    /// <summary>The earliest live timer's instant, or null when none is armed.</summary>
    public DateTimeOffset? NextAt
    {
        get
        {
            lock (Gate)
            {
                DropCanceledHead();
                return _heap.TryPeek(out var head, out _) ? head.At : null;
            }
        }
    }

    /// <summary>Removes and returns the live timers due at or before <paramref name="now"/>, earliest (then first armed) first.</summary>
    public IReadOnlyList<PreciseTimerHandle> TakeDue(DateTimeOffset now)
    {
        lock (Gate)
        {
            List<PreciseTimerHandle>? due = null;
            DropCanceledHead();
            while (_heap.TryPeek(out var head, out _) && head.At <= now)
            {
                _heap.Dequeue();
                head.Done = true;
                Live--;
                (due ??= []).Add(head);
                DropCanceledHead();
            }
            return due ?? (IReadOnlyList<PreciseTimerHandle>)[];
        }
    }

    /// <summary>Forgets every timer (at shutdown): nothing armed is sent any more.</summary>
    public void Clear()
    {
        lock (Gate)
        {
            while (_heap.TryDequeue(out var handle, out _))
                handle.Done = true;
            Live = 0;
        }
    }

    private void DropCanceledHead()
    {
        while (_heap.TryPeek(out var head, out _) && head.Done)
            _heap.Dequeue();
    }

    private void Compact()
    {
        var live = _heap.UnorderedItems.Where(item => !item.Element.Done).ToList();
        _heap.Clear();
        _heap.EnqueueRange(live);
    }
}
