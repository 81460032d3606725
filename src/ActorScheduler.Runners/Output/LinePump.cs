namespace ActorScheduler.Runners.Output;

/// <summary>
/// Receives a stream cut at line ends. <paramref name="wholeLine"/> is false for the pieces of a line longer
/// than the pump's limit (and for an unterminated last line cut by that limit): such a piece is never protocol.
/// </summary>
internal delegate void LineSink(ReadOnlySpan<byte> line, bool wholeLine);

/// <summary>
/// Reads a process stream to its end and hands it on line by line, holding at most one line of a bounded
/// length in memory, so a 5 MB line without a newline costs no more than a short one.
/// </summary>
internal sealed class LinePump
{
    public const int DefaultMaxLine = 64 * 1024;

    private readonly LineSink sink;
    private readonly byte[] line;
    private int length;
    private bool continuing;

    private LinePump(LineSink sink, int maxLine)
    {
        this.sink = sink;
        line = new byte[maxLine];
    }

    /// <summary>Ends quietly when the stream ends, breaks or <paramref name="stop"/> fires.</summary>
    public static async Task RunAsync(Stream stream, LineSink sink, CancellationToken stop, int maxLine = DefaultMaxLine)
    {
        var pump = new LinePump(sink, maxLine);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, stop).ConfigureAwait(false)) > 0)
                pump.Feed(chunk.AsSpan(0, read));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The process is gone or we stopped listening; what was read so far is all there is.
        }
        pump.Finish();
    }

    internal void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var segment = newline < 0 ? data : data[..(newline + 1)];
            data = data[segment.Length..];
            while (!segment.IsEmpty)
            {
                if (length == line.Length) Flush(wholeLine: false);
                var take = Math.Min(line.Length - length, segment.Length);
                segment[..take].CopyTo(line.AsSpan(length));
                length += take;
                segment = segment[take..];
            }
            if (newline >= 0) Flush(wholeLine: !continuing);
        }
    }

    internal void Finish()
    {
        if (length > 0) Flush(wholeLine: !continuing);
    }

    private void Flush(bool wholeLine)
    {
        sink(line.AsSpan(0, length), wholeLine);
        continuing = line[length - 1] != (byte)'\n';
        length = 0;
    }
}
