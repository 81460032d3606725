using System.Text;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Tests;

/// <summary>Cutting a stream into lines with a bounded line buffer.</summary>
public sealed class LinePumpSpecs
{
    private static async Task<List<(string Text, bool Whole)>> Pump(string input, int maxLine, int chunk = 3)
    {
        var pieces = new List<(string, bool)>();
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(input), chunk);
        await LinePump.RunAsync(stream, (line, whole) => pieces.Add((Encoding.UTF8.GetString(line), whole)), CancellationToken.None, maxLine);
        return pieces;
    }

    [Fact]
    public async Task Should_hand_on_whole_lines_when_they_fit()
    {
        var pieces = await Pump("one\ntwo\nlast", maxLine: 16);

        Assert.Equal([("one\n", true), ("two\n", true), ("last", true)], pieces);
    }

    [Fact]
    public async Task Should_hand_on_pieces_marked_partial_when_a_line_is_too_long()
    {
        var pieces = await Pump("abcdefghij\nok\n", maxLine: 4);

        Assert.Equal([("abcd", false), ("efgh", false), ("ij\n", false), ("ok\n", true)], pieces);
    }

    /// <summary>Returns at most a few bytes per read, as a pipe may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
