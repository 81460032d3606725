using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ActorScheduler.Gateway.Tests;

/// <summary><c>/metrics</c> scraped over a real socket and parsed as Prometheus' text format.</summary>
public sealed partial class MetricsSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
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
        Assert.Equal(HttpStatusCode.Created, (await gateway.Api.Post("/api/v1/jobs",
            """{"id":"metrics-job","schedule":{"every":{"hours":1}},"run":{"shell":{"command":["true"]}}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.Api.Post("/api/v1/jobs/metrics-job/trigger")).StatusCode);

        List<Sample> samples = [];
        var deadline = DateTime.UtcNow.AddSeconds(90);
        // The job count is read from the index and reused for a few seconds: both appear within a bound, not at once.
        while (DateTime.UtcNow < deadline && !(samples.Any(s => s.Name == "actorscheduler_runs_total" && s.Labels.GetValueOrDefault("trigger") == "manual") &&
                                                samples.Any(s => s.Name == "actorscheduler_jobs" && s.Labels["status"] == "scheduled")))
        {
            await Task.Delay(200);
            samples = await Scrape();
        }

        var manual = samples.Single(s => s.Name == "actorscheduler_runs_total" && s.Labels["trigger"] == "manual" && s.Labels["status"] == "succeeded");
        Assert.True(manual.Value >= 1);
        Assert.Contains(samples, s => s.Name == "actorscheduler_fire_lateness_seconds_bucket" && s.Labels["le"] == "0.001");
        Assert.Contains(samples, s => s.Name == "actorscheduler_fire_lateness_seconds_count" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "actorscheduler_run_duration_seconds_count" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "actorscheduler_jobs" && s.Labels["status"] == "scheduled" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "actorscheduler_runs_in_flight" && s.Labels["worker"] == "test-worker");
        Assert.Contains(samples, s => s.Name == "actorscheduler_journal_commit_duration_seconds_count" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "actorscheduler_journal_batch_size_count" && s.Value >= 1);
    }

    [Fact]
    public async Task Should_count_skipped_occurrences_by_reason()
    {
        Assert.Equal(HttpStatusCode.Created, (await gateway.Api.Post("/api/v1/jobs",
            """{"id":"metrics-paused","schedule":{"every":{"seconds":1}},"run":{"shell":{"command":["true"]}}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Api.Post("/api/v1/jobs/metrics-paused/pause", """{"reason":"metrics"}""")).StatusCode);

        List<Sample> samples = [];
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !samples.Any(s => s.Name == "actorscheduler_occurrences_skipped_total"))
        {
            // Occurrences due while paused are recorded as skipped when the job is resumed.
            await Task.Delay(1500);
            await gateway.Api.Post("/api/v1/jobs/metrics-paused/resume");
            await gateway.Api.Post("/api/v1/jobs/metrics-paused/pause", """{"reason":"metrics"}""");
            samples = await Scrape();
        }

        Assert.Contains(samples, s => s.Name == "actorscheduler_occurrences_skipped_total" && s.Labels["reason"] == "paused" && s.Value >= 1);
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( [0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)""")]
    private static partial Regex LabelPair();
}

/// <summary>With a token, <c>/metrics</c> follows the API's rule.</summary>
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
