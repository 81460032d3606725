using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>The wire format of <c>schedules</c>, <c>exclude</c> and <c>jitter</c>: dates as yyyy-MM-dd, jitter as an ISO 8601 duration.</summary>
public sealed class ScheduleSetJsonSpecs
{
    [Fact]
    public void Should_write_what_it_read_when_given_schedules_exclusions_and_jitter()
    {
        const string json = """{"id":"x","schedules":[{"cron":"0 * * * *"},{"every":{"days":1}}],"exclude":[{"dates":["2026-12-25"],"timeZone":"Europe/Amsterdam"},{"cron":"* * * * 6,0"}],"jitter":"PT30S","strictWorker":false,"overlap":"skip","enabled":true}""";

        var definition = CoreJson.Deserialize<JobDefinition>(json);

        Assert.Equal(new DateOnly(2026, 12, 25), definition.Exclude![0].Dates![0]);
        Assert.Equal(TimeSpan.FromSeconds(30), definition.Jitter);
        Assert.Equal(json, CoreJson.Serialize(definition));
    }

    [Fact]
    public void Should_write_none_of_the_new_fields_when_a_definition_has_none()
    {
        var written = CoreJson.Serialize(new JobDefinition { Id = "x", Schedule = new() { Cron = "0 * * * *" } });

        Assert.DoesNotContain("schedules", written);
        Assert.DoesNotContain("exclude", written);
        Assert.DoesNotContain("jitter", written);
    }
}
