using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>A place in a run history listed newest first (<see cref="RunCursor"/>), as the API hands it out.</summary>
public sealed class RunCursorSpecs
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 22, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);

    [Fact]
    public void Should_read_back_exactly_the_cursor_it_wrote()
    {
        var cursor = new RunCursor(At, new RunId(JobId.Parse("nightly.billing-1"), 42));

        Assert.True(RunCursor.TryParse(cursor.ToString(), out var read));

        Assert.Equal(cursor, read);
        Assert.Equal(At.UtcTicks, read.ScheduledFor.UtcTicks);
    }

    [Fact]
    public void Should_write_the_scheduled_time_in_utc_whatever_its_offset()
    {
        var local = new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.FromHours(2));

        var cursor = new RunCursor(local, new RunId(JobId.Parse("a"), 1)).ToString();

        Assert.Equal($"{local.UtcTicks}.a~1", cursor);
    }

    [Fact]
    public void Should_take_the_cursor_of_a_run_from_its_view()
    {
        var view = new RunView("a.b~7", "a.b", 1, RunStatus.Succeeded, RunTrigger.Manual, At, null, null, null, null, null, null, null, 1, null, null);

        Assert.Equal(new RunCursor(At, new RunId(JobId.Parse("a.b"), 7)), RunCursor.Of(view));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nightly~1")]
    [InlineData(".nightly~1")]
    [InlineData("12x.nightly~1")]
    [InlineData("-5.nightly~1")]
    [InlineData("99999999999999999999.nightly~1")]
    [InlineData("638000000000000000.nightly")]
    [InlineData("638000000000000000.nightly~0")]
    [InlineData("638000000000000000.bad id~1")]
    public void Should_refuse_text_that_is_not_a_cursor(string? text)
    {
        Assert.False(RunCursor.TryParse(text, out _), $"'{text}' should not read as a cursor");
    }
}
