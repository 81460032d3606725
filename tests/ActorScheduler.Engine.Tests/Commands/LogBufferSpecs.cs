using ActorScheduler.CommandHost.Logging;

namespace ActorScheduler.Engine.Tests.Commands;

/// <summary>The node's log in memory: a ring of its last lines, and tails that lose (and count) what they fall behind on.</summary>
public sealed class LogBufferSpecs
{
    private static LogLine Line(int n) => new(DateTimeOffset.UnixEpoch.AddSeconds(n), "info", "spec", $"line {n}");

    [Fact]
    public void Should_keep_only_the_last_lines_up_to_its_capacity_oldest_first()
    {
        var buffer = new LogBuffer(3);
        for (var n = 1; n <= 5; n++)
            buffer.Add(Line(n));

        Assert.Equal(["line 3", "line 4", "line 5"], buffer.Peek(10).Select(l => l.Message));
        Assert.Equal(["line 5"], buffer.Peek(1).Select(l => l.Message));
    }

    [Fact]
    public void Should_drop_the_oldest_lines_when_its_capacity_shrinks()
    {
        var buffer = new LogBuffer(5);
        for (var n = 1; n <= 5; n++)
            buffer.Add(Line(n));

        buffer.Capacity = 2;

        Assert.Equal(["line 4", "line 5"], buffer.Peek(10).Select(l => l.Message));
    }

    [Fact]
    public async Task Should_give_a_tail_only_lines_written_after_it_began_and_stop_feeding_it_once_disposed()
    {
        var buffer = new LogBuffer(10);
        buffer.Add(Line(1));
        var tail = buffer.Follow();
        buffer.Add(Line(2));
        tail.Dispose();
        buffer.Add(Line(3));

        var (line, dropped) = await tail.ReadAsync(CancellationToken.None);
        using var nothingMore = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.Equal(("line 2", 0L), (line.Message, dropped));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tail.ReadAsync(nothingMore.Token));
    }

    [Fact]
    public async Task Should_tell_a_tail_that_fell_behind_how_many_lines_it_lost()
    {
        var buffer = new LogBuffer(10);
        using var tail = buffer.Follow();
        for (var n = 1; n <= LogBuffer.TailBacklog + 5; n++)
            buffer.Add(Line(n));

        var (line, dropped) = await tail.ReadAsync(CancellationToken.None);

        Assert.Equal(5, dropped);
        Assert.Equal("line 6", line.Message);
    }
}
