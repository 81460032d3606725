using System.Text;
using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// What the runs of one worker print while they run, for readers on any node (<see cref="LiveOutputActor"/>). Each
/// run's output is a stream of UTF-8 bytes numbered from 0, of which the last
/// <see cref="LiveOutputSettings.MaxBytesPerRun"/> are kept; a reader asks from an offset and is told how much it
/// missed. A finished run stays readable for <see cref="LiveOutputSettings.KeepFinished"/>, at most
/// <see cref="LiveOutputSettings.KeepFinishedRuns"/> of them; runs in flight are as many as the worker's slots.
/// </summary>
/// <remarks>
/// Thread-safe: runner threads append (one short lock per line, never a wait on anything else), the actor reads.
/// Finished runs are forgotten whenever the buffer is used or <see cref="Prune"/> is called; time comes from the
/// injected clock only.
/// </remarks>
public sealed class LiveOutputBuffer(LiveOutputSettings settings, TimeProvider clock)
{
    /// <summary>
    /// Bytes of text one answer carries at most: JSON may escape each byte as six (<c>\u001b</c>), and the answer must
    /// stay within Akka's default 128,000-byte remote frame. A reader further behind gets <see cref="LiveOutputChunk.More"/>.
    /// </summary>
    public const int MaxChunkBytes = 16 * 1024;

    private sealed class RunText
    {
        public readonly Queue<byte[]> Segments = new();
        public int HeadSkip; // bytes of the first segment already dropped
        public long Start, End; // offsets of the first kept byte and of the byte after the last
        public byte Last = (byte)'\n';
        public bool Running = true;
        public DateTimeOffset EndedAt;
        public long Generation; // one more each time the run ends, so an old place in the finished queue is stale
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<RunId, RunText> _runs = new();
    private readonly Queue<(RunId RunId, long Generation)> _finishedOrder = new();
    private int _finished;
    private long _droppedBytes;
    private long _forgottenEarly;

    /// <summary>Bytes dropped from the front of runs' output by <see cref="LiveOutputSettings.MaxBytesPerRun"/>, in all.</summary>
    public long DroppedBytes { get { lock (_gate) return _droppedBytes; } }

    /// <summary>Finished runs forgotten before <see cref="LiveOutputSettings.KeepFinished"/> because more than <see cref="LiveOutputSettings.KeepFinishedRuns"/> had finished.</summary>
    public long ForgottenEarly { get { lock (_gate) return _forgottenEarly; } }

    /// <summary>Runs whose output is held now, running or finished.</summary>
    public int Count { get { lock (_gate) { Prune(clock.GetUtcNow()); return _runs.Count; } } }

    /// <summary>The run starts on this worker. A run that ran here before (another attempt) goes on in the same stream, marked.</summary>
    public void Begin(RunId runId, int attempt)
    {
        lock (_gate)
        {
            Prune(clock.GetUtcNow());
            if (!_runs.TryGetValue(runId, out var run))
            {
                _runs[runId] = new RunText();
                return;
            }
            if (run.Running)
                return;
            run.Running = true;
            _finished--;
            Keep(run, Encoding.UTF8.GetBytes($"{(run.Last == (byte)'\n' ? "" : "\n")}[attempt {attempt} starts]\n"));
        }
    }

    /// <summary>Output of a run this buffer holds; output of any other (one already forgotten) is ignored.</summary>
    public void Append(RunId runId, string text)
    {
        if (text.Length == 0)
            return;
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_gate)
        {
            if (_runs.TryGetValue(runId, out var run))
                Keep(run, bytes);
        }
    }

    /// <summary>The run has ended on this worker: its output stays readable a while.</summary>
    public void End(RunId runId)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (!_runs.TryGetValue(runId, out var run) || !run.Running)
                return;
            (run.Running, run.EndedAt) = (false, now);
            run.Generation++;
            _finished++;
            _finishedOrder.Enqueue((runId, run.Generation));
            Prune(now);
        }
    }

    /// <summary>The run's output from byte <paramref name="from"/> on (see <see cref="GetLiveOutput"/>).</summary>
    public LiveOutputChunk Read(RunId runId, long from)
    {
        lock (_gate)
        {
            Prune(clock.GetUtcNow());
            if (!_runs.TryGetValue(runId, out var run))
                return LiveOutputChunk.Unknown(runId, from);
            if (from < 0 || from > run.End)
                from = 0; // not an offset of this stream (the worker restarted since): from the beginning
            var position = Math.Max(from, run.Start);
            var bytes = Copy(run, position, Math.Min(run.End, position + MaxChunkBytes + 1));
            // A character cut in half by the bound counts as dropped; a chunk ends before a character it would cut.
            var skip = 0;
            while (skip < bytes.Length && IsContinuation(bytes[skip])) skip++;
            var length = Math.Min(bytes.Length, MaxChunkBytes);
            while (length < bytes.Length && length > skip && IsContinuation(bytes[length])) length--;
            var next = position + length;
            return new LiveOutputChunk(runId, true, Encoding.UTF8.GetString(bytes, skip, length - skip), next, run.Running,
                position - from + skip, next < run.End);
        }
    }

    /// <summary>Forgets finished runs past their time, and the oldest beyond the count.</summary>
    public void Prune()
    {
        lock (_gate)
            Prune(clock.GetUtcNow());
    }

    private void Prune(DateTimeOffset now)
    {
        while (_finishedOrder.TryPeek(out var entry))
        {
            if (_runs.TryGetValue(entry.RunId, out var run) && !run.Running && run.Generation == entry.Generation)
            {
                var tooMany = _finished > settings.KeepFinishedRuns;
                if (!tooMany && now - run.EndedAt < settings.KeepFinished)
                    return;
                if (tooMany && now - run.EndedAt < settings.KeepFinished)
                    _forgottenEarly++;
                _runs.Remove(entry.RunId);
                _finished--;
            }
            _finishedOrder.Dequeue();
        }
    }

    private void Keep(RunText run, byte[] bytes)
    {
        run.End += bytes.Length;
        run.Last = bytes[^1];
        if (bytes.Length >= settings.MaxBytesPerRun)
        {
            // Only its tail would stay: nothing before it is kept, and only the tail is held in memory.
            _droppedBytes += run.End - settings.MaxBytesPerRun - run.Start;
            run.Segments.Clear();
            run.Segments.Enqueue(bytes[^settings.MaxBytesPerRun..]);
            (run.HeadSkip, run.Start) = (0, run.End - settings.MaxBytesPerRun);
            return;
        }
        run.Segments.Enqueue(bytes);
        var excess = run.End - run.Start - settings.MaxBytesPerRun;
        if (excess <= 0)
            return;
        _droppedBytes += excess;
        run.Start += excess;
        while (excess > 0)
        {
            var head = run.Segments.Peek();
            var left = head.Length - run.HeadSkip;
            if (left > excess)
            {
                run.HeadSkip += (int)excess;
                return;
            }
            run.Segments.Dequeue();
            run.HeadSkip = 0;
            excess -= left;
        }
    }

    /// <summary>The kept bytes from offset <paramref name="from"/> up to <paramref name="to"/> (both within what is kept).</summary>
    private static byte[] Copy(RunText run, long from, long to)
    {
        var copy = new byte[Math.Max(0, to - from)];
        var offset = run.Start - run.HeadSkip; // the offset of the first segment's first byte, dropped or not
        foreach (var segment in run.Segments)
        {
            var begin = Math.Max(from, offset);
            var end = Math.Min(to, offset + segment.Length);
            if (begin < end)
                segment.AsSpan((int)(begin - offset), (int)(end - begin)).CopyTo(copy.AsSpan((int)(begin - from)));
            offset += segment.Length;
            if (offset >= to)
                break;
        }
        return copy;
    }

    private static bool IsContinuation(byte b) => (b & 0b1100_0000) == 0b1000_0000;
}
