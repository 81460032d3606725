namespace ActorScheduler.Dashboard.Tests;

/// <summary>The harness itself: Chromium reaches the node, screenshots are left behind, the API and /metrics answer.</summary>
[Collection(DashboardCollection.Name)]
public sealed class HarnessSpecs(DashboardNode node, HeadlessChromium chromium)
{
    [Fact]
    public async Task Should_load_the_nodes_health_page_record_its_console_errors_and_leave_a_screenshot()
    {
        var browser = await chromium.OpenAsync(node.BaseUrl);
        await using (browser)
        {
            var response = await browser.Page.GotoAsync("healthz");
            Assert.Equal(200, response?.Status);
            await Expect(browser.Page.Locator("body")).ToContainTextAsync("alive");

            // Not AssertNoConsoleErrors: Chromium asks the node for /favicon.ico, which answers 404 unless a page names its icon.
            await browser.Page.RunAndWaitForConsoleMessageAsync(() => browser.Page.EvaluateAsync("() => console.error('harness probe')"));
            Assert.Contains(browser.ConsoleErrors, error => error.EndsWith("harness probe"));
        }
        Assert.True(File.Exists(browser.ScreenshotPath), $"no screenshot at {browser.ScreenshotPath} once the session ended");
    }

    [Fact]
    public async Task Should_serve_prometheus_text_at_metrics_that_counts_a_created_job()
    {
        var id = SchedulerApi.UniqueId("metrics");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo counted"));
        var run = await node.Api.WaitForRunToEndAsync(await node.Api.TriggerAsync(id));
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", $"bash is on the worker's allow-list, yet the run ended: {run}");

        var samples = await node.Api.EventuallyMetricsAsync(
            scrape => scrape.Any(s => s.Name == "actorscheduler_jobs" && s.Value >= 1), "actorscheduler_jobs to count the job");

        Assert.Contains(samples, s => s.Name == "actorscheduler_runs_total" &&
            s.Labels.GetValueOrDefault("status") == "succeeded" && s.Labels.GetValueOrDefault("trigger") == "manual" && s.Value >= 1);
    }
}
