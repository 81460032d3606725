using System.Globalization;
using System.Text;

namespace ActorScheduler.Runners.Output;

/// <summary>
/// Keeps the last <see cref="Capacity"/> bytes of a run's output, however much is written: the end of a log is
/// where the reason for a failure usually is. Thread-safe, so stdout and stderr can append in arrival order. Its
/// buffer grows with what is written, up to <see cref="Capacity"/>: a run that prints little costs little.
/// </summary>
public sealed class OutputTail
{
    public const int DefaultCapacity = 64 * 1024;

    private const int FirstSize = 256;

    private readonly int capacity;
    private readonly Lock gate = new();
    private byte[] ring = [];
    private int start;
    private int count;
    private long total;

    public OutputTail(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
    }

    public int Capacity => capacity;

    public long TotalBytes
    {
        get { lock (gate) return total; }
    }

    public void Append(string text) => Append(Encoding.UTF8.GetBytes(text));

    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            total += bytes.Length;
            if (bytes.Length == 0)
                return;
            if (ring.Length < capacity && count + bytes.Length > ring.Length)
                Grow(count + bytes.Length);
            if (bytes.Length >= ring.Length)
            {
                bytes[^ring.Length..].CopyTo(ring);
                (start, count) = (0, ring.Length);
                return;
            }
            var end = (start + count) % ring.Length;
            var first = Math.Min(bytes.Length, ring.Length - end);
            bytes[..first].CopyTo(ring.AsSpan(end));
            bytes[first..].CopyTo(ring);
            var overflow = Math.Max(0, count + bytes.Length - ring.Length);
            start = (start + overflow) % ring.Length;
            count = Math.Min(ring.Length, count + bytes.Length);
        }
    }

    /// <summary>A larger buffer (doubling, at most the capacity) holding the kept bytes from its start.</summary>
    private void Grow(int needed)
    {
        var grown = new byte[Math.Min(capacity, Math.Max(needed, Math.Max(FirstSize, ring.Length * 2)))];
        var first = Math.Min(count, ring.Length - start);
        ring.AsSpan(start, first).CopyTo(grown);
        ring.AsSpan(0, count - first).CopyTo(grown.AsSpan(first));
        (ring, start) = (grown, 0);
    }

    /// <summary>
    /// The kept bytes as UTF-8 text; when bytes were dropped, a first line <c>[… N bytes omitted]</c> says how
    /// many. A character cut in half by the limit counts as omitted rather than showing as garbage.
    /// </summary>
    public override string ToString()
    {
        byte[] kept;
        long omitted;
        lock (gate)
        {
            kept = new byte[count];
            var first = Math.Min(count, ring.Length - start);
            ring.AsSpan(start, first).CopyTo(kept);
            ring.AsSpan(0, count - first).CopyTo(kept.AsSpan(first));
            omitted = total - count;
        }
        if (omitted == 0) return Encoding.UTF8.GetString(kept);
        var skip = 0;
        while (skip < kept.Length && skip < 3 && (kept[skip] & 0b1100_0000) == 0b1000_0000) skip++;
        return string.Create(CultureInfo.InvariantCulture, $"[… {omitted + skip} bytes omitted]\n")
            + Encoding.UTF8.GetString(kept, skip, kept.Length - skip);
    }
}
