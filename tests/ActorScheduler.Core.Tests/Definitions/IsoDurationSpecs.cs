using ActorScheduler.Core.Definitions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>ISO 8601 durations of fixed length; years and months are refused because they have none.</summary>
public sealed class IsoDurationSpecs
{
    [Theory]
    [InlineData("PT30S", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("PT5M", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("PT1H30M", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("PT90M", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("P1D", TimeSpan.TicksPerDay)]
    [InlineData("P1DT12H", 36 * TimeSpan.TicksPerHour)]
    [InlineData("P2W", 14 * TimeSpan.TicksPerDay)]
    [InlineData("PT0.5S", TimeSpan.TicksPerSecond / 2)]
    [InlineData("PT0.0000001S", 1)]
    [InlineData("PT0S", 0)]
    [InlineData("P0D", 0)]
    [InlineData("-PT5M", -5 * TimeSpan.TicksPerMinute)]
    [InlineData("-P1DT1S", -(TimeSpan.TicksPerDay + TimeSpan.TicksPerSecond))]
    public void Should_parse_to_the_exact_length_when_the_duration_is_well_formed(string text, long ticks)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P1Y2M")]
    [InlineData("P1MT5M")]
    [InlineData("-P3M")]
    public void Should_refuse_naming_years_or_months_when_the_duration_has_no_fixed_length(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains("years or months", error);
        Assert.Contains(text, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("-P")]
    [InlineData("P1DT")]
    [InlineData("30S")]
    [InlineData("PT30")]
    [InlineData("pt30s")]
    [InlineData("PT1.S")]
    [InlineData("PT1,5S")]
    [InlineData(" PT1S")]
    [InlineData("PT1S ")]
    [InlineData("PT5S5M")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("+PT1S")]
    [InlineData("00:00:30")]
    [InlineData("thirty seconds")]
    [InlineData(null)]
    public void Should_refuse_with_an_example_when_the_text_is_not_a_duration(string? text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains("PT30S", error);
        Assert.Throws<FormatException>(() => IsoDuration.Parse(text!));
    }

    [Theory]
    [InlineData("P99999999999999D")]
    [InlineData("PT9999999999999999999S")]
    public void Should_refuse_without_throwing_when_the_duration_is_too_long(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains("too long", error);
    }

    [Theory]
    [InlineData(0, "PT0S")]
    [InlineData(30 * TimeSpan.TicksPerSecond, "PT30S")]
    [InlineData(5 * TimeSpan.TicksPerMinute, "PT5M")]
    [InlineData(90 * TimeSpan.TicksPerMinute, "PT1H30M")]
    [InlineData(TimeSpan.TicksPerDay, "P1D")]
    [InlineData(14 * TimeSpan.TicksPerDay, "P14D")]
    [InlineData(36 * TimeSpan.TicksPerHour, "P1DT12H")]
    [InlineData(TimeSpan.TicksPerDay + TimeSpan.TicksPerSecond, "P1DT1S")]
    [InlineData(TimeSpan.TicksPerSecond * 3 / 2, "PT1.5S")]
    [InlineData(1, "PT0.0000001S")]
    [InlineData(-5 * TimeSpan.TicksPerMinute, "-PT5M")]
    [InlineData(-(TimeSpan.TicksPerHour + 1), "-PT1H0.0000001S")]
    public void Should_format_the_shortest_designators_when_writing_a_duration(long ticks, string expected)
    {
        Assert.Equal(expected, IsoDuration.Format(TimeSpan.FromTicks(ticks)));
    }

    [Property(Arbitrary = [typeof(DurationArbitraries)])]
    public void Should_read_back_the_same_length_when_a_formatted_duration_is_parsed(TimeSpan duration)
    {
        var text = IsoDuration.Format(duration);

        Assert.True(IsoDuration.Parse(text) == duration, $"{duration} was written as {text}");
    }
}

public static class DurationArbitraries
{
    // Days up to the TimeSpan limit, any tick within the day, either sign: whole units and odd fractions alike.
    public static Arbitrary<TimeSpan> Durations() => Arb.From(
        from days in Gen.Frequency((3, Gen.Choose(0, 3)), (1, Gen.Choose(0, 10_675_198)))
        from milliseconds in Gen.Choose(0, 86_399_999)
        from ticks in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(0, 9_999)))
        from negative in Gen.Elements(false, true)
        let length = TimeSpan.FromDays(days) + TimeSpan.FromMilliseconds(milliseconds) + TimeSpan.FromTicks(ticks)
        select negative ? -length : length);
}
