using System.Text.RegularExpressions;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>The overview (<c>#/</c>): jobs counted by status, and the live feed of every job's events.</summary>
[Collection(DashboardCollection.Name)]
public sealed class OverviewSpecs(DashboardNode node, HeadlessChromium chromium)
{
    private static readonly string[] Statuses = ["scheduled", "running", "waiting", "paused", "error", "done", "canceled"];

    [Fact]
    public async Task Should_count_the_jobs_in_all_and_by_status()
    {
        var id = SchedulerApi.UniqueId("counted");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo counted"));
        // The counts come from the job index, which follows the job shortly after it answers.
        await node.Api.EventuallyListedAsync(id, 1);
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var counts = browser.Page.Locator("#status-counts");
        await browser.GoToAsync(DashboardRoutes.Overview);

        await Expect(counts.Locator("a.count[href='#/jobs'] .n")).ToHaveTextAsync(new Regex(@"^[1-9]\d*$"));
        await Expect(counts.Locator("a.count[data-status] .badge")).ToHaveTextAsync(Statuses);
        await Expect(counts.Locator("a.count[data-status='waiting'] .n")).ToHaveTextAsync(new Regex(@"^[1-9]\d*$"));
        foreach (var status in Statuses)
            await Expect(counts.Locator($"a.count[data-status='{status}'] .n")).ToHaveTextAsync(new Regex(@"^\d+$"));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_add_the_runs_events_to_the_live_feed_when_a_job_is_triggered()
    {
        var id = SchedulerApi.UniqueId("feed");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo fed"));
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Overview);
        // Drawn once the first refresh has read the journal's position, from which the feed then follows. That position
        // may lag a little behind the journal, so the job's own job-defined event may show too: only run events are
        // certain to come after the trigger.
        await Expect(page.Locator("#status-counts .count").First).ToBeVisibleAsync();
        var events = page.Locator("#live-events li").Filter(new() { HasText = id });

        await node.Api.TriggerAsync(id);

        await Expect(events.Filter(new() { HasText = "run-dispatched" })).ToHaveCountAsync(1);
        await Expect(events.Filter(new() { HasText = "run-finished" }).Locator("[data-status]"))
            .ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        await Expect(events.First.Locator($"a[href='{DashboardRoutes.Job(id)}']")).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors();
    }
}
