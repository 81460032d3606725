using System.Text;
using ActorScheduler.Core;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace ActorScheduler.Engine.Tests.LiveOutput;

/// <summary>
/// A worker's live output without an actor: offsets a reader resumes from, the per-run bound and what it drops, the
/// size of one answer, and finished runs kept a while and then forgotten. Time comes from a fake clock.
/// </summary>
public sealed class LiveOutputBufferSpecs
{
    private static readonly JobId Job = JobId.Parse("report");
    private static readonly RunId Run = new(Job, 1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private LiveOutputBuffer Buffer(int maxBytes = 64 * 1024, int keepRuns = 64) =>
        new(new LiveOutputSettings(maxBytes, TimeSpan.FromMinutes(2), keepRuns), _clock);

    private static LiveOutputBuffer Running(LiveOutputBuffer buffer, params string[] lines)
    {
        buffer.Begin(Run, 1);
        foreach (var line in lines)
            buffer.Append(Run, line);
        return buffer;
    }

    [Fact]
    public void Should_give_each_piece_once_when_a_reader_resumes_from_the_offset_it_was_given()
    {
        var buffer = Running(Buffer(), "one\n", "two\n");

        var first = buffer.Read(Run, 0);
        var nothingNew = buffer.Read(Run, first.Next);
        buffer.Append(Run, "thrée\n");
        var second = buffer.Read(Run, nothingNew.Next);

        Assert.Equal(new LiveOutputChunk(Run, true, "one\ntwo\n", 8, true, 0, false), first);
        Assert.Equal(new LiveOutputChunk(Run, true, "", 8, true, 0, false), nothingNew);
        Assert.Equal(new LiveOutputChunk(Run, true, "thrée\n", 15, true, 0, false), second); // offsets count UTF-8 bytes
    }

    [Fact]
    public void Should_keep_the_last_bytes_and_tell_a_reader_how_many_it_missed_when_the_run_prints_more_than_the_bound()
    {
        var buffer = Running(Buffer(maxBytes: 10), "0123456789\n", "abcdefghij\n", "xyz\n"); // 26 bytes

        var fromStart = buffer.Read(Run, 0);
        var fromInside = buffer.Read(Run, 20);
        var caughtUp = buffer.Read(Run, 26);

        Assert.Equal(new LiveOutputChunk(Run, true, "fghij\nxyz\n", 26, true, 16, false), fromStart);
        Assert.Equal(new LiveOutputChunk(Run, true, "j\nxyz\n", 26, true, 0, false), fromInside);
        Assert.Equal(0, caughtUp.Dropped);
        Assert.Equal(16, buffer.DroppedBytes);
    }

    [Fact]
    public void Should_keep_only_the_tail_of_a_piece_longer_than_the_bound_when_one_arrives()
    {
        var buffer = Running(Buffer(maxBytes: 4), "ab\n", "0123456789\n");

        var chunk = buffer.Read(Run, 0);

        Assert.Equal(new LiveOutputChunk(Run, true, "789\n", 14, true, 10, false), chunk);
        Assert.Equal(10, buffer.DroppedBytes);
    }

    [Fact]
    public void Should_count_a_character_the_bound_cut_in_half_as_dropped_when_the_text_is_read()
    {
        var buffer = Running(Buffer(maxBytes: 5), "é日本\n"); // 2 + 3 + 3 + 1 bytes: the bound keeps the last byte of 日

        var chunk = buffer.Read(Run, 0);

        Assert.Equal("本\n", chunk.Text);
        Assert.Equal(5, chunk.Dropped);
        Assert.Equal(9, chunk.Next);
    }

    [Fact]
    public void Should_split_a_long_backlog_over_several_answers_without_cutting_a_character_when_a_reader_is_far_behind()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"ligne {i} – é\n"));
        var buffer = Running(Buffer(maxBytes: 64 * 1024), text);

        var pieces = new List<LiveOutputChunk> { buffer.Read(Run, 0) };
        while (pieces[^1].More)
            pieces.Add(buffer.Read(Run, pieces[^1].Next));

        Assert.True(pieces.Count > 1, "the backlog is larger than one answer");
        Assert.All(pieces, p => Assert.True(Encoding.UTF8.GetByteCount(p.Text) <= LiveOutputBuffer.MaxChunkBytes, $"an answer of {p.Text.Length} chars"));
        Assert.Equal(text, string.Concat(pieces.Select(p => p.Text)));
        Assert.Equal(Encoding.UTF8.GetByteCount(text), pieces[^1].Next);
    }

    [Fact]
    public void Should_say_the_run_is_unknown_when_it_never_ran_here()
    {
        var buffer = Buffer();
        buffer.Append(Run, "stray line of a run this worker does not hold\n");

        Assert.Equal(LiveOutputChunk.Unknown(Run, 7), buffer.Read(Run, 7));
        Assert.False(buffer.Read(Run, 7).Known);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Should_keep_a_finished_run_readable_until_keep_finished_has_passed_when_it_ends()
    {
        var buffer = Running(Buffer(), "last words\n");
        buffer.End(Run);

        _clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        var justAfter = buffer.Read(Run, 0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var later = buffer.Read(Run, 0);

        Assert.Equal(new LiveOutputChunk(Run, true, "last words\n", 11, false, 0, false), justAfter);
        Assert.False(later.Known, "kept 2 minutes after the end, then forgotten");
        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.ForgottenEarly);
    }

    [Fact]
    public void Should_forget_the_oldest_finished_runs_early_and_count_them_when_more_than_keep_finished_runs_end()
    {
        var buffer = Buffer(keepRuns: 2);
        var runs = Enumerable.Range(1, 3).Select(n => new RunId(Job, n)).ToList();
        var running = new RunId(Job, 99);
        buffer.Begin(running, 1);
        foreach (var run in runs)
        {
            buffer.Begin(run, 1);
            buffer.Append(run, $"{run}\n");
            buffer.End(run);
        }

        Assert.False(buffer.Read(runs[0], 0).Known, "the oldest of three finished runs goes when two are kept");
        Assert.True(buffer.Read(runs[1], 0).Known);
        Assert.True(buffer.Read(runs[2], 0).Known);
        Assert.True(buffer.Read(running, 0) is { Known: true, Running: true }, "a run in flight is never forgotten for finished ones");
        Assert.Equal(1, buffer.ForgottenEarly);
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public void Should_go_on_in_the_same_stream_marked_when_a_finished_run_starts_again_here()
    {
        var buffer = Running(Buffer(), "attempt one, no newline");
        buffer.End(Run);
        var ended = buffer.Read(Run, 0);

        buffer.Begin(Run, 2);
        buffer.Append(Run, "attempt two\n");
        var resumed = buffer.Read(Run, ended.Next);

        Assert.False(ended.Running);
        Assert.Equal(new LiveOutputChunk(Run, true, "\n[attempt 2 starts]\nattempt two\n", resumed.Next, true, 0, false), resumed);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(buffer.Read(Run, 0).Known, "running again: not forgotten with its earlier end");
    }

    [Fact]
    public void Should_start_from_the_beginning_when_the_offset_asked_for_is_beyond_the_stream()
    {
        var buffer = Running(Buffer(), "fresh\n");

        var chunk = buffer.Read(Run, 1_000);

        Assert.Equal(new LiveOutputChunk(Run, true, "fresh\n", 6, true, 0, false), chunk);
    }
}
