using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ActorScheduler.Gateway.Tests;

/// <summary>The meter is the process's: specs that read it run alone, and compare before with after.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

/// <summary><c>/metrics</c> scraped over a real socket and parsed as Prometheus' text format.</summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static double Value(List<Sample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Sum(s => s.Value);

    /// <summary>Scrapes until <paramref name="done"/> holds (bounded generously; not a timing goal).</summary>
    private async Task<List<Sample>> ScrapeUntil(Func<List<Sample>, bool> done, Func<Task>? between = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var samples = await Scrape();
        while (!done(samples) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
            if (between is not null)
                await between();
            samples = await Scrape();
        }
        return samples;
    }

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private async Task<List<Sample>> Scrape()
    {
        var response = await gateway.Api.Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).Select(Parse).ToList();
    }

    private static Sample Parse(string line)
    {
        var match = SampleLine().Match(line);
        Assert.True(match.Success, $"not a Prometheus sample line: {line}");
        var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        return new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Should_count_runs_and_their_lateness_and_duration_and_the_jobs_by_status()
    {
        var before = await Scrape();
        (string, string)[] manual = [("status", "succeeded"), ("trigger", "manual")];
        Assert.Equal(HttpStatusCode.Created, (await gateway.Api.Post("/api/v1/jobs",
            """{"id":"metrics-job","schedule":{"every":{"hours":1}},"run":{"shell":{"command":["true"]}}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.Api.Post("/api/v1/jobs/metrics-job/trigger")).StatusCode);

        // The job count is read from the index and reused for a few seconds: both appear within a bound, not at once.
        var after = await ScrapeUntil(s => Value(s, "actorscheduler_runs_total", manual) >= Value(before, "actorscheduler_runs_total", manual) + 1 &&
                                           Value(s, "actorscheduler_jobs", ("status", "scheduled")) >= 1);

        Assert.Equal(Value(before, "actorscheduler_runs_total", manual) + 1, Value(after, "actorscheduler_runs_total", manual));
        Assert.True(Value(after, "actorscheduler_jobs", ("status", "scheduled")) >= 1);
        Assert.Equal(Value(before, "actorscheduler_fire_lateness_seconds_count", ("trigger", "manual")) + 1,
            Value(after, "actorscheduler_fire_lateness_seconds_count", ("trigger", "manual")));
        Assert.Equal(Value(before, "actorscheduler_run_duration_seconds_count", ("trigger", "manual")) + 1,
            Value(after, "actorscheduler_run_duration_seconds_count", ("trigger", "manual")));
        Assert.Contains(after, s => s.Name == "actorscheduler_fire_lateness_seconds_bucket" && s.Labels["le"] == "0.001");
        Assert.Contains(after, s => s.Name == "actorscheduler_runs_in_flight" && s.Labels["worker"] == "test-worker" && s.Value == 0);
        Assert.True(Value(after, "actorscheduler_journal_commit_duration_seconds_count") > Value(before, "actorscheduler_journal_commit_duration_seconds_count"));
        Assert.True(Value(after, "actorscheduler_journal_batch_size_count") > Value(before, "actorscheduler_journal_batch_size_count"));
    }

    [Fact]
    public async Task Should_count_skipped_occurrences_by_reason()
    {
        (string, string) paused = ("reason", "paused");
        var before = Value(await Scrape(), "actorscheduler_occurrences_skipped_total", paused);
        Assert.Equal(HttpStatusCode.Created, (await gateway.Api.Post("/api/v1/jobs",
            """{"id":"metrics-paused","schedule":{"every":{"seconds":1}},"run":{"shell":{"command":["true"]}}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Api.Post("/api/v1/jobs/metrics-paused/pause", """{"reason":"metrics"}""")).StatusCode);

        // Occurrences due while paused are recorded as skipped when the job is resumed.
        var after = await ScrapeUntil(s => Value(s, "actorscheduler_occurrences_skipped_total", paused) > before, async () =>
        {
            await Task.Delay(1200);
            await gateway.Api.Post("/api/v1/jobs/metrics-paused/resume");
            await gateway.Api.Post("/api/v1/jobs/metrics-paused/pause", """{"reason":"metrics"}""");
        });

        Assert.True(Value(after, "actorscheduler_occurrences_skipped_total", paused) > before);
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( [0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)""")]
    private static partial Regex LabelPair();
}

/// <summary>With a token, <c>/metrics</c> follows the API's rule.</summary>
[Collection(MetricsCollection.Name)]
public sealed class SecuredMetricsSpecs(SecuredGatewayFixture gateway) : IClassFixture<SecuredGatewayFixture>
{
    [Fact]
    public async Task Should_refuse_a_scrape_without_the_token_and_serve_one_with_it()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.Server.Url };

        var refused = await anonymous.GetAsync("/metrics");
        var served = await gateway.Api.Get("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
