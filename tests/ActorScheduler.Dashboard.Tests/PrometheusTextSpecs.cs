using Xunit.Sdk;

namespace ActorScheduler.Dashboard.Tests;

public sealed class PrometheusTextSpecs
{
    [Fact]
    public void Should_read_names_labels_and_values_when_the_text_is_well_formed()
    {
        var samples = PrometheusText.Parse("""
            # HELP actorscheduler_jobs Jobs by status
            # TYPE actorscheduler_jobs gauge
            actorscheduler_jobs{status="scheduled"} 3 1700000000000

            actorscheduler_run_duration_seconds_bucket{trigger="manual",le="+Inf"} 2
            odd_label{text="a \"quoted\}\" \\ word\n"} -1.5e-3
            up 1
            """);

        Assert.Equal(["actorscheduler_jobs", "actorscheduler_run_duration_seconds_bucket", "odd_label", "up"], samples.Select(s => s.Name));
        Assert.Equal(3, samples[0].Value);
        Assert.Equal("scheduled", samples[0].Labels["status"]);
        Assert.Equal("+Inf", samples[1].Labels["le"]);
        Assert.Equal("a \"quoted}\" \\ word\n", samples[2].Labels["text"]);
        Assert.Equal(-0.0015, samples[2].Value);
        Assert.Empty(samples[3].Labels);
    }

    [Theory]
    [InlineData("actorscheduler_jobs{status=\"scheduled\"}")]
    [InlineData("actorscheduler_jobs{status=scheduled} 1")]
    [InlineData("actorscheduler_jobs{status=\"scheduled\"} many")]
    [InlineData("<html><body>Not Found</body></html>")]
    public void Should_refuse_the_scrape_naming_the_line_when_a_line_is_not_a_sample(string line)
    {
        var error = Assert.Throws<XunitException>(() => PrometheusText.Parse("up 1\n" + line + "\n"));
        Assert.Contains("Line 2", error.Message);
    }
}
