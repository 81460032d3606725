using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>
/// Input at the edges of what .NET represents: identifiers end at the true end of the text (a regex '$' also
/// matches before a final newline), and no number in a schedule makes validation throw instead of answering.
/// </summary>
public sealed class InputBoundsSpecs
{
    private static readonly DateTimeOffset Anchor = new(2026, 6, 11, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("nl\n")]
    [InlineData("nl\r\n")]
    [InlineData("\nnl")]
    [InlineData("n\nl")]
    [InlineData("nl\u2028")]
    public void Should_refuse_a_job_id_when_it_holds_a_line_break(string id)
    {
        Assert.False(JobId.IsValid(id));
        Assert.Throws<FormatException>(() => JobId.Parse(id));
        Assert.False(RunId.TryParse(id + "~1", out _));
    }

    [Fact]
    public void Should_accept_the_longest_job_id_when_it_has_nothing_after_it()
    {
        Assert.True(JobId.IsValid(new string('a', 128)));
        Assert.False(JobId.IsValid(new string('a', 128) + "\n"));
        Assert.False(JobId.IsValid(new string('a', 129)));
    }

    [Theory]
    [InlineData("PT30S\n")]
    [InlineData("P1D\n")]
    [InlineData("PT30S\r\n")]
    public void Should_refuse_a_duration_when_a_line_break_follows_it(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains("not an ISO 8601 duration", error);
    }

    [Theory]
    [InlineData("2026-12-01T00:00:00Z\n")]
    [InlineData("2026-12-01T00:00:00Z ")]
    [InlineData("2026-12-01T00:00:00 Z")]
    [InlineData("2026-12-01T00:00:00\t+01:00")]
    [InlineData("2026-12-01T00:00:00Z\u0000")]
    public void Should_refuse_a_time_when_it_holds_white_space_or_control_characters(string text)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(text), CoreJson.Options));
    }

    [Fact]
    public void Should_still_read_a_time_with_an_offset_or_fraction_when_it_is_well_formed()
    {
        var read = JsonSerializer.Deserialize<DateTimeOffset>("\"2026-12-01T01:00:00.5+01:00\"", CoreJson.Options);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, 500, TimeSpan.Zero), read);
    }

    [Theory]
    [InlineData("0 0 * * *\t")]
    [InlineData("0 0 * *\t*")]
    [InlineData("0 0 * * *\n")]
    [InlineData("0 0 * * *\u0000")]
    public void Should_refuse_a_cron_when_a_control_character_separates_or_ends_it(string cron)
    {
        var errors = ScheduleValidator.Validate(new ScheduleSpec { Cron = cron });

        Assert.Contains(errors, e => e.Field == "schedule.cron");
    }

    /// <summary>Periods whose units overflow a TimeSpan, or that are longer than the calendar, and the field to name.</summary>
    public static TheoryData<string, string> OverflowingSchedules => new()
    {
        { """{ "every": { "ms": 9223372036854775807 } }""", "schedule.every" },
        { """{ "every": { "ms": -9223372036854775808 } }""", "schedule.every" },
        { """{ "every": { "h": 9223372036854775807 } }""", "schedule.every" },
        { """{ "every": { "s": 9223372036854775807, "m": 9223372036854775807 } }""", "schedule.every" },
        { """{ "every": { "d": 1, "ms": 922337203685477 } }""", "schedule.every" },
        { """{ "every": { "ms": 922337203685477 } }""", "schedule.every" },
        { """{ "every": { "d": 3660000 } }""", "schedule.every" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 2, "max": { "ms": 9223372036854775807 } } }""", "schedule.decay.max" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 2, "min": { "ms": -9223372036854775808 } } }""", "schedule.decay.min" },
        { """{ "every": { "s": 1 }, "decay": { "factor": 2, "max": { "d": 3660000 } } }""", "schedule.decay.max" },
    };

    [Theory]
    [MemberData(nameof(OverflowingSchedules))]
    public void Should_name_the_field_instead_of_throwing_when_a_schedule_overflows(string json, string field)
    {
        var spec = CoreJson.Deserialize<ScheduleSpec>(json);

        var errors = ScheduleValidator.Validate(spec);

        Assert.Contains(errors, e => e.Field == field);
    }

    [Theory]
    [InlineData("""{ "every": { "y": 9999 } }""")]
    [InlineData("""{ "every": { "d": 3650000 } }""")]
    [InlineData("""{ "every": { "ms": 315000000000000 } }""")]
    [InlineData("""{ "every": { "s": 1 }, "decay": { "factor": 2, "max": { "d": 3650000 } } }""")]
    public void Should_accept_a_period_when_it_fits_in_the_calendar(string json)
    {
        Assert.Empty(ScheduleValidator.Validate(CoreJson.Deserialize<ScheduleSpec>(json)));
    }

    [Theory]
    [InlineData(1.0000001, false)]
    [InlineData(0.9999999, false)]
    [InlineData(1.000000000000001, false)]
    [InlineData(1.0005, false)]
    [InlineData(1.001, true)]
    [InlineData(0.999, true)]
    [InlineData(1.0, true)]
    [InlineData(2.0, true)]
    public void Should_refuse_a_decay_factor_when_it_is_so_close_to_1_that_the_gaps_would_take_forever_to_settle(double factor, bool valid)
    {
        var spec = new ScheduleSpec { Every = new RepeatPeriod { Milliseconds = 1 }, Decay = new DecaySpec { Factor = factor } };

        var errors = ScheduleValidator.Validate(spec);

        Assert.Equal(valid, !errors.Any(e => e.Field == "schedule.decay.factor"));
    }

    [Property(Arbitrary = [typeof(PeriodArbitraries)], MaxTest = 500)]
    public void Should_answer_without_throwing_when_any_units_are_given(RepeatPeriod every, RepeatPeriod bound)
    {
        foreach (var spec in new[]
                 {
                     new ScheduleSpec { Every = every },
                     new ScheduleSpec { Every = every, Decay = new DecaySpec { Factor = 2, Max = bound } },
                     new ScheduleSpec { Every = every, Decay = new DecaySpec { Factor = 0.5, Min = bound } },
                 })
        {
            var errors = ScheduleValidator.Validate(spec);
            Assert.NotNull(every.ToString() + bound); // messages describe the period, so describing must not throw either
            if (errors.Count == 0)
                _ = Schedule.Compile(spec, Anchor).NextAfter(Anchor); // a valid period compiles and answers too
        }
    }
}

/// <summary>Periods over the whole range of each unit, the extremes and zero included.</summary>
public static class PeriodArbitraries
{
    public static Arbitrary<RepeatPeriod> Periods()
    {
        var unit = Gen.OneOf(
            Gen.Constant(0L), Gen.Constant(long.MaxValue), Gen.Constant(long.MinValue),
            Gen.Choose(-1000, 1000).Select(v => (long)v), ArbMap.Default.GeneratorFor<long>());
        return Arb.From(unit.ArrayOf(8)
            .Select(v => new RepeatPeriod
            {
                Years = v[0] % 20_000, Months = v[1] % 240_000, Weeks = v[2], Days = v[3],
                Hours = v[4], Minutes = v[5], Seconds = v[6], Milliseconds = v[7],
            }));
    }
}
