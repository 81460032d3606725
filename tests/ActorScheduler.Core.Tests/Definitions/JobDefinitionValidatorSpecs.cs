using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using static ActorScheduler.Core.Tests.Scheduling.Instants;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>
/// Each bad definition is the API example with one thing broken; the validator must name that field, and only
/// that field (or a part of it), in plain words a person can act on.
/// </summary>
public sealed class JobDefinitionValidatorSpecs
{
    [Theory]
    [InlineData("""{"id":"has space"}""", "id")]
    [InlineData("""{"id":""}""", "id")]
    [InlineData("""{"id":"billing/nightly"}""", "id")]
    [InlineData("""{"id":"a~1"}""", "id")]
    [InlineData("""{"id":null}""", "id")]
    [InlineData("""{"id":"export"}""", "id")]
    [InlineData("""{"id":"import"}""", "id")]
    [InlineData("""{"concurrency":{"key":"","limit":2}}""", "concurrency.key")]
    [InlineData("""{"concurrency":{"key":"customer-1","limit":0}}""", "concurrency.limit")]
    [InlineData("""{"schedule":{"cron":"0 61 * * *"}}""", "schedule.cron")]
    [InlineData("""{"schedule":{"cron":"* * * *"}}""", "schedule.cron")]
    [InlineData("""{"schedule":{"cron":"every day at noon"}}""", "schedule.cron")]
    [InlineData("""{"schedule":{"cron":"0 0 30 2 *"}}""", "schedule.cron")]
    [InlineData("""{"schedule":{"cron":"0 30 2 * * *","timeZone":"Mars/Olympus_Mons"}}""", "schedule.timeZone")]
    [InlineData("""{"schedule":{"cron":"0 * * * *","every":{"minutes":5}}}""", "schedule")]
    [InlineData("""{"schedule":{"at":"2027-01-01T00:00:00Z","after":"PT1M"}}""", "schedule")]
    [InlineData("""{"schedule":{}}""", "schedule")]
    [InlineData("""{"schedule":{"every":{"minutes":-5}}}""", "schedule.every")]
    [InlineData("""{"schedule":{"every":{}}}""", "schedule.every")]
    [InlineData("""{"schedule":{"every":{"years":20000}}}""", "schedule.every")]
    [InlineData("""{"schedule":{"after":"-PT30S"}}""", "schedule.after")]
    // anchor + after must stay in the calendar; longer was accepted and then threw when compiled
    [InlineData("""{"schedule":{"after":"P36501D"}}""", "schedule.after")]
    [InlineData("""{"schedule":{"after":"P3000000D"}}""", "schedule.after")]
    [InlineData("""{"schedule":{"at":"2027-01-01T00:00:00Z","timeZone":"Europe/Amsterdam"}}""", "schedule.timeZone")]
    [InlineData("""{"schedule":{"cron":"0 * * * *","start":"2027-01-01T00:00:00Z"}}""", "schedule.start")]
    [InlineData("""{"schedule":{"cron":"0 * * * *","decay":{"factor":2}}}""", "schedule.decay")]
    [InlineData("""{"schedule":{"every":{"months":1},"decay":{"factor":2}}}""", "schedule.decay")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":0}}}""", "schedule.decay.factor")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":-2}}}""", "schedule.decay.factor")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":2,"max":{"months":1}}}}""", "schedule.decay.max")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":0.5,"min":{"seconds":0}}}}""", "schedule.decay.min")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":2,"min":{"minutes":10},"max":{"minutes":5}}}}""", "schedule.decay.max")]
    // decay works in fixed lengths: a length past TimeSpan's range was accepted, then threw (validating or compiling)
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":2,"max":{"days":110000000}}}}""", "schedule.decay.max")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":2,"min":{"seconds":1},"max":{"days":110000000}}}}""", "schedule.decay.max")]
    [InlineData("""{"schedule":{"every":{"days":11000000},"decay":{"factor":2}}}""", "schedule.every")]
    [InlineData("""{"window":{"start":"2027-01-01T00:00:00Z","stop":"2026-01-01T00:00:00Z"}}""", "window.stop")]
    [InlineData("""{"window":{"start":"2027-01-01T00:00:00Z","stop":"2027-01-01T00:00:00Z"}}""", "window.stop")]
    [InlineData("""{"maxRuns":0}""", "maxRuns")]
    [InlineData("""{"maxRuns":-1}""", "maxRuns")]
    [InlineData("""{"run":null}""", "run")]
    [InlineData("""{"run":{}}""", "run")]
    [InlineData("""{"run":{"shell":{"command":["true"]},"handler":{"name":"x"}}}""", "run")]
    [InlineData("""{"run":{"shell":{"command":[]}}}""", "run.shell.command")]
    [InlineData("""{"run":{"shell":{"command":[""]}}}""", "run.shell.command")]
    [InlineData("""{"run":{"shell":{}}}""", "run.shell.command")]
    [InlineData("""{"run":{"shell":{"command":["env"],"env":{"A=B":"1"}}}}""", "run.shell.env")]
    [InlineData("""{"run":{"shell":{"command":["/opt/jobs/run.sh"],"env":{"LD_PRELOAD":"/tmp/x.so"}}}}""", "run.shell.env.LD_PRELOAD")]
    [InlineData("""{"run":{"shell":{"command":["/opt/jobs/run.sh"],"env":{"BASH_FUNC_echo%%":"() { id; }"}}}}""", "run.shell.env.BASH_FUNC_echo%%")]
    [InlineData("""{"run":{"shell":{"command":["/opt/jobs/run.sh"],"env":{"SCHEDULER_FENCING_TOKEN":"999"}}}}""", "run.shell.env.SCHEDULER_FENCING_TOKEN")]
    [InlineData("""{"run":{"shell":{"command":["ls"],"workingDirectory":""}}}""", "run.shell.workingDirectory")]
    [InlineData("""{"run":{"shell":{"command":["cat"],"stdin":"data"}}}""", "run.shell.stdin")]
    [InlineData("""{"run":{"handler":{"name":"noop"}},"retention":{"runs":{"keepLast":0}}}""", "retention.runs.keepLast")]
    [InlineData("""{"run":{"handler":{"name":"noop"}},"retention":{"removeAfter":"PT0S"}}""", "retention.removeAfter")]
    [InlineData("""{"run":{"http":{"url":"ftp://example.org/x"}}}""", "run.http.url")]
    [InlineData("""{"run":{"http":{"url":"/relative"}}}""", "run.http.url")]
    [InlineData("""{"run":{"http":{"url":"https://example.org","method":"FETCH"}}}""", "run.http.method")]
    [InlineData("""{"run":{"handler":{"name":" "}}}""", "run.handler.name")]
    [InlineData("""{"worker":""}""", "worker")]
    [InlineData("""{"notWorker":""}""", "notWorker")]
    [InlineData("""{"notWorker":"vip-worker"}""", "notWorker")]
    [InlineData("""{"worker":null,"strictWorker":true}""", "strictWorker")]
    [InlineData("""{"timeout":"-PT5S"}""", "timeout")]
    [InlineData("""{"timeout":"PT0S"}""", "timeout")]
    [InlineData("""{"retry":{"maxAttempts":0}}""", "retry.maxAttempts")]
    [InlineData("""{"retry":{"maxAttempts":1001}}""", "retry.maxAttempts")]
    [InlineData("""{"retry":{"maxAttempts":3,"delay":"-PT1S"}}""", "retry.delay")]
    [InlineData("""{"retry":{"maxAttempts":3,"multiplier":0.5}}""", "retry.multiplier")]
    [InlineData("""{"retry":{"maxAttempts":3,"delay":"PT10S","maxDelay":"PT1S"}}""", "retry.maxDelay")]
    [InlineData("""{"misfire":{"catchUpWindow":"-P1D"}}""", "misfire.catchUpWindow")]
    [InlineData("""{"misfire":{"threshold":"-PT1S"}}""", "misfire.threshold")]
    [InlineData("""{"triggers":[{"job":"extract","event":"foo-event"}]}""", "triggers[0]")]
    [InlineData("""{"triggers":[{"job":"extract","event":"foo-event","on":"failed"}]}""", "triggers[0]")]
    [InlineData("""{"triggers":[{}]}""", "triggers[0]")]
    [InlineData("""{"triggers":[{"job":"extract"}]}""", "triggers[0].on")]
    [InlineData("""{"triggers":[{"event":"foo-event","on":"failed"}]}""", "triggers[0].on")]
    [InlineData("""{"triggers":[{"job":"bad id","on":"failed"}]}""", "triggers[0].job")]
    [InlineData("""{"triggers":[{"event":"foo-event"},{"event":" "}]}""", "triggers[1].event")]
    [InlineData("""{"tags":[" "]}""", "tags")]
    [InlineData("""{"tags":["ok\u0007"]}""", "tags")]
    [InlineData("""{"worker":"w\n"}""", "worker")]
    [InlineData("""{"worker":"w","notWorker":"v\r"}""", "notWorker")]
    [InlineData("""{"triggers":[{"event":"go\n"}]}""", "triggers[0].event")]
    [InlineData("""{"misfire":{"catchUpWindow":"P10675199D"}}""", "misfire.catchUpWindow")]
    [InlineData("""{"run":{"handler":{"name":"noop\t"}}}""", "run.handler.name")]
    [InlineData("""{"run":{"http":{"url":"https://example.com/","headers":{"X-A":"1\r\nX-Injected: 2"}}}}""", "run.http.headers")]
    public void Should_name_the_field_in_plain_words_when_the_definition_is_invalid(string overrides, string field)
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.With(overrides));

        var errors = JobDefinitionValidator.Validate(definition);

        Assert.True(errors.Any(e => e.Field == field), $"expected an error on {field}, got: {string.Join(" | ", errors)}");
        Assert.All(errors, e => Assert.True(e.Field.StartsWith(field, StringComparison.Ordinal),
            $"only {field} is broken, but {e} was reported too"));
        Assert.All(errors, e => AssertPlainWords(e.Message));
    }

    [Fact]
    public void Should_report_no_errors_when_the_definition_is_the_full_api_example()
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.Json);

        Assert.Empty(JobDefinitionValidator.Validate(definition));
        Assert.True(new JobPlan(definition, Utc("2026-01-01T00:00:00Z")).HasSchedule);
    }

    [Theory]
    [InlineData("""{"schedule":null}""")]
    [InlineData("""{"schedule":{"every":{"M":1,"d":7},"start":"2026-01-31T00:00:00Z","timeZone":"America/New_York"}}""")]
    [InlineData("""{"schedule":{"every":{"minutes":1},"decay":{"factor":0.5,"min":{"seconds":10},"max":{"hours":1}}}}""")]
    [InlineData("""{"schedule":{"at":"2027-01-01T00:00:00Z"}}""")]
    [InlineData("""{"schedule":{"after":"PT30S"}}""")]
    [InlineData("""{"schedule":{"after":"P36500D"}}""")]
    [InlineData("""{"schedule":{"every":{"years":10000}}}""")]
    [InlineData("""{"window":{"start":"0001-01-01T00:00:00Z"}}""")]
    [InlineData("""{"schedule":{"cron":"*/20 * * * * *"}}""")]
    [InlineData("""{"run":{"http":{"url":"https://example.org/hook","method":"post","headers":{"X":"1"},"body":{"a":1}}}}""")]
    [InlineData("""{"run":{"handler":{"name":"billing.close","arguments":[1,"two"]}}}""")]
    [InlineData("""{"retry":null,"misfire":null,"triggers":null,"tags":null,"window":null,"maxRuns":null,"timeout":null,"worker":null,"data":null}""")]
    [InlineData("""{"overlap":"bufferOne","misfire":{"policy":"fireAll","catchUpWindow":"PT0S"}}""")]
    public void Should_report_no_errors_and_compile_when_the_definition_is_valid(string overrides)
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.With(overrides));

        Assert.Empty(JobDefinitionValidator.Validate(definition));
        var plan = new JobPlan(definition, Utc("2026-01-01T00:00:00Z"));
        Assert.Equal(definition.Schedule is not null, plan.HasSchedule);
        _ = plan.NextAfter(Utc("2026-01-01T00:00:00Z"), runCount: 0);
    }

    [Fact]
    public void Should_not_require_an_id_when_it_comes_from_the_path()
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.With("""{"id":null}"""));

        Assert.Empty(JobDefinitionValidator.Validate(definition, requireId: false));
    }

    [Fact]
    public void Should_report_every_problem_at_once_when_several_fields_are_wrong()
    {
        var definition = CoreJson.Deserialize<JobDefinition>(ApiExample.With("""{"id":"a b","maxRuns":0,"timeout":"-PT1S"}"""));

        Assert.Equal(["id", "maxRuns", "timeout"], JobDefinitionValidator.Validate(definition).Select(e => e.Field));
    }

    [Fact]
    public void Should_validate_a_schedule_alone_when_asked_by_the_preview()
    {
        var errors = ScheduleValidator.Validate(new ScheduleSpec { Cron = "0 61 * * *" });

        Assert.Equal("schedule.cron", Assert.Single(errors).Field);
    }

    /// <summary>A message a person can act on: a sentence, no exception names, no code or stack traces.</summary>
    private static void AssertPlainWords(string message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), "the message is empty");
        Assert.True(message.EndsWith('.'), $"not a sentence: {message}");
        foreach (var jargon in new[] { "Exception", "System.", "ActorScheduler.", "   at ", "null reference", "Parameter '" })
            Assert.False(message.Contains(jargon, StringComparison.Ordinal), $"'{jargon}' in: {message}");
        Assert.True(message.Length <= 300, $"too long for a person to read: {message}");
    }
}
