using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core.Definitions;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>The wire format of a JobDefinition through <see cref="CoreJson"/>.</summary>
public sealed class JobDefinitionJsonSpecs
{
    [Fact]
    public void Should_read_every_field_when_given_the_api_example()
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.Json);

        Assert.Equal("nightly-billing", definition.Id);
        Assert.Equal(new ScheduleSpec { Cron = "0 30 2 * * *", TimeZone = "Europe/Amsterdam" }, definition.Schedule);
        Assert.Equal(new WindowSpec { Start = Utc("2026-12-01T00:00:00Z"), Stop = Utc("2027-12-01T00:00:00Z") }, definition.Window);
        Assert.Equal(100, definition.MaxRuns);
        Assert.Equal(["bash", "-c", "echo hi"], definition.Run!.Shell!.Command!);
        Assert.Equal("1", definition.Run.Shell.Env!["A"]);
        Assert.Null(definition.Run.Shell.WorkingDirectory);
        Assert.Equal(("vip-worker", (string?)null, false), (definition.Worker, definition.NotWorker, definition.StrictWorker));
        Assert.Equal(new RetrySpec { MaxAttempts = 3, Delay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromMinutes(1) }, definition.Retry);
        Assert.Equal(TimeSpan.FromMinutes(5), definition.Timeout);
        Assert.Equal(OverlapPolicy.Skip, definition.Overlap);
        Assert.Equal(new MisfireSpec { Policy = MisfirePolicy.FireOnce, CatchUpWindow = TimeSpan.FromDays(1) }, definition.Misfire);
        Assert.Equal([new TriggerSpec { Job = "extract", On = TriggerOn.Succeeded }, new TriggerSpec { Event = "foo-event" }], definition.Triggers!);
        Assert.True(definition.Enabled);
        Assert.Equal(["billing"], definition.Tags!);
        Assert.Equal(1234, definition.Data!.Value.GetProperty("customer").GetInt32());
    }

    [Fact]
    public void Should_write_the_same_json_again_when_the_api_example_round_trips()
    {
        var first = CoreJson.Serialize(CoreJson.Deserialize<JobDefinition>(ApiExample.Json));
        var second = CoreJson.Serialize(CoreJson.Deserialize<JobDefinition>(first));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(first), JsonNode.Parse(second)), $"first:  {first}\nsecond: {second}");
    }

    [Fact]
    public void Should_write_back_the_example_without_its_nulls_plus_the_default_threshold_when_serializing()
    {
        var written = JsonNode.Parse(CoreJson.Serialize(CoreJson.Deserialize<JobDefinition>(ApiExample.Json)));

        // nulls are left out when writing; the misfire threshold (our addition) is written with its default
        var expected = JsonNode.Parse(ApiExample.With("""{"notWorker":null}"""))!;
        expected["run"]!["shell"]!.AsObject().Remove("workingDirectory");
        expected["misfire"]!["threshold"] = "PT1M";
        Assert.True(JsonNode.DeepEquals(expected, written), $"expected: {expected.ToJsonString()}\nwritten:  {written!.ToJsonString()}");
    }

    [Theory]
    [InlineData("PT30S", 0, 0, 0, 30)]
    [InlineData("PT5M", 0, 0, 5, 0)]
    [InlineData("P1D", 1, 0, 0, 0)]
    [InlineData("P1DT12H", 1, 12, 0, 0)]
    [InlineData("P2W", 14, 0, 0, 0)]
    public void Should_read_iso_8601_durations_when_given_as_strings(string iso, int days, int hours, int minutes, int seconds)
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.With($$"""{"timeout":"{{iso}}"}"""));

        Assert.Equal(new TimeSpan(days, hours, minutes, seconds), definition.Timeout);
    }

    [Theory]
    [InlineData(30, "PT30S")]
    [InlineData(86_400, "P1D")]
    [InlineData(129_600, "P1DT12H")]
    public void Should_write_iso_8601_durations_when_serializing(int seconds, string iso)
    {
        var json = CoreJson.Serialize(new JobDefinition { Timeout = TimeSpan.FromSeconds(seconds) });

        Assert.Equal(iso, JsonNode.Parse(json)!["timeout"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"shedule":{"cron":"0 * * * *"}}""", "shedule")]
    [InlineData("""{"ID":"x"}""", "ID")]
    [InlineData("""{"schedule":{"cron":"0 * * * *","timezone":"UTC"}}""", "timezone")]
    [InlineData("""{"run":{"shell":{"cmd":["true"]}}}""", "cmd")]
    [InlineData("""{"misfire":{"policy":"skip","window":"P1D"}}""", "window")]
    [InlineData("""{"schedule":{"every":{"minutez":5}}}""", "minutez")]
    [InlineData("""{"schedule":{"every":{"D":1}}}""", "'D'")]
    [InlineData("""{"timeout":"P1M"}""", "P1M")]
    [InlineData("""{"timeout":"30s"}""", "30s")]
    [InlineData("""{"timeout":30}""", "ISO 8601")]
    [InlineData("""{"window":{"start":"2026-12-01"}}""", "2026-12-01")]
    [InlineData("""{"overlap":"sometimes"}""", "overlap")]
    [InlineData("""{"overlap":1}""", "overlap")]
    public void Should_refuse_the_json_naming_the_culprit_when_a_property_or_value_is_unknown_or_malformed(string overrides, string named)
    {
        var error = Assert.Throws<JsonException>(() => CoreJson.Deserialize<JobDefinition>(ApiExample.With(overrides)));

        Assert.True(error.Message.Contains(named, StringComparison.Ordinal) || (error.Path ?? "").Contains(named, StringComparison.Ordinal),
            $"the error should name '{named}': {error.Message} (path {error.Path})");
    }

    [Theory]
    [InlineData("2026-12-01T01:00:00+01:00", "2026-12-01T00:00:00Z")]
    [InlineData("2026-12-01T00:00:00.5Z", "2026-12-01T00:00:00.5Z")]
    // no offset: read as UTC, never as the machine's local time
    [InlineData("2026-12-01T00:00:00", "2026-12-01T00:00:00Z")]
    public void Should_read_times_as_utc_and_write_them_with_z_when_an_offset_is_given_or_missing(string given, string written)
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.With($$$"""{"window":{"start":"{{{given}}}"}}"""));

        Assert.Equal(TimeSpan.Zero, definition.Window!.Start!.Value.Offset);
        Assert.Equal(written, JsonNode.Parse(CoreJson.Serialize(definition))!["window"]!["start"]!.GetValue<string>());
    }

    [Fact]
    public void Should_write_camel_case_enum_values_when_serializing_policies()
    {
        var json = JsonNode.Parse(CoreJson.Serialize(new JobDefinition
        {
            Overlap = OverlapPolicy.BufferOne,
            Misfire = new MisfireSpec { Policy = MisfirePolicy.FireAll },
            Triggers = [new TriggerSpec { Job = "a", On = TriggerOn.Completed }],
        }))!;

        Assert.Equal("bufferOne", json["overlap"]!.GetValue<string>());
        Assert.Equal("fireAll", json["misfire"]!["policy"]!.GetValue<string>());
        Assert.Equal("completed", json["triggers"]![0]!["on"]!.GetValue<string>());
    }

    [Fact]
    public void Should_round_trip_every_schedule_form_when_serialized_and_read_back()
    {
        string[] schedules =
        [
            """{"every":{"months":1,"days":7},"start":"2026-01-31T00:00:00Z","timeZone":"Europe/Amsterdam"}""",
            """{"every":{"minutes":1},"decay":{"factor":0.5,"min":{"seconds":10},"max":{"hours":1}}}""",
            """{"at":"2026-03-01T12:00:00Z"}""",
            """{"after":"PT30S"}""",
        ];
        foreach (var schedule in schedules)
        {
            var written = CoreJson.Serialize(CoreJson.Deserialize<ScheduleSpec>(schedule));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(schedule), JsonNode.Parse(written)), $"{schedule} came back as {written}");
        }
    }
}
