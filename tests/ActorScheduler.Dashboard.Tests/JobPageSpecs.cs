using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>A job's page (<c>#/jobs/{id}</c>): its actions, its next occurrences, its trigger links and its history.</summary>
[Collection(DashboardCollection.Name)]
public sealed class JobPageSpecs(DashboardNode node, HeadlessChromium chromium)
{
    [Fact]
    public async Task Should_show_the_reason_and_the_paused_badge_when_the_job_is_paused_from_its_page_and_clear_them_on_resume()
    {
        var id = SchedulerApi.UniqueId("pause");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo never run"));
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Job(id));
        var status = page.Locator(".job-head h1 [data-status]");
        await Expect(status).ToHaveAttributeAsync("data-status", "waiting");

        await page.Locator("#pause-reason").FillAsync("database maintenance");
        await page.Locator(".job-head button[data-action=pause]").ClickAsync();

        await Expect(status).ToHaveAttributeAsync("data-status", "paused");
        await Expect(page.Locator("#paused-reason")).ToContainTextAsync("database maintenance");
        var paused = (await node.Api.FindJobAsync(id))!;
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Equal("database maintenance", paused["pausedReason"]?.GetValue<string>());

        await page.Locator(".job-head button[data-action=resume]").ClickAsync();

        await Expect(status).ToHaveAttributeAsync("data-status", "waiting");
        await Expect(page.Locator("#paused-reason")).ToHaveCountAsync(0);
        await Expect(page.Locator(".job-head button[data-action=pause]")).ToBeVisibleAsync();
        Assert.Equal("waiting", (await node.Api.FindJobAsync(id))!["status"]!.GetValue<string>());
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_keep_the_typed_pause_reason_when_the_page_refreshes_for_a_busy_jobs_events()
    {
        var id = SchedulerApi.UniqueId("busy");
        await node.Api.CreateJobAsync(SchedulerApi.CronJob(id, "* * * * * *", "true"));
        try
        {
            await using var browser = await chromium.OpenAsync(node.BaseUrl);
            var page = browser.Page;
            await browser.GoToAsync(DashboardRoutes.Job(id));
            var version = page.Locator("dl.facts dt:text-is('Version') + dd");
            await Expect(version).ToHaveTextAsync(new Regex(@"^\d+$"));

            await page.Locator("#pause-reason").FillAsync("too busy");
            var typedAt = await version.TextContentAsync();
            // The job runs every second: its events make the page draw the job again while the reason waits to be sent.
            await Expect(version).Not.ToHaveTextAsync(typedAt!);

            // The header is drawn before the summary, so what the reason box holds now is what the user would send.
            var reason = await page.Locator("#pause-reason").InputValueAsync();
            Assert.True(reason == "too busy", $"the page drew the job again and lost the typed reason: the box holds '{reason}'");
            await page.Locator(".job-head button[data-action=pause]").ClickAsync();
            await Expect(page.Locator("#paused-reason")).ToContainTextAsync("too busy");
            browser.AssertNoConsoleErrors();
        }
        finally
        {
            await node.Api.PauseAsync(id, "a job due every second would keep the shared node busy");
        }
    }

    /// <summary>
    /// The page reads the job and its history, then follows the job's events: a change stored while those reads are
    /// under way must still reach the header. A slow history answer (held here until the job has been paused through
    /// the API) makes that certain.
    /// </summary>
    [Fact]
    public async Task Should_show_a_change_made_while_the_page_was_loading()
    {
        var id = SchedulerApi.UniqueId("loading");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo never run"));
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        var pausedOnce = 0;
        await page.RouteAsync(url => new Uri(url).AbsolutePath == SchedulerApi.JobPath(id, "/history"), async route =>
        {
            try
            {
                if (Interlocked.Exchange(ref pausedOnce, 1) == 0)
                    await node.Api.PauseAsync(id, "paused by another hand");
            }
            finally
            {
                await route.ContinueAsync();
            }
        });

        await browser.GoToAsync(DashboardRoutes.Job(id));

        await Expect(page.Locator(".card:has(#history-type) code").Filter(new() { HasText = "job-paused" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".job-head h1 [data-status]")).ToHaveAttributeAsync("data-status", "paused");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_show_a_pending_dated_edit_and_who_changed_the_job_in_its_history()
    {
        var id = SchedulerApi.UniqueId("dated");
        var definition = SchedulerApi.ShellJob(id, "echo never run");
        await node.Api.CreateJobAsync(definition);
        definition["tags"] = new JsonArray("next-year");
        using var put = new HttpRequestMessage(HttpMethod.Put, SchedulerApi.JobPath(id) + "?effectiveAt=2099-01-01T00:00:00Z")
        {
            Content = new StringContent(definition.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        put.Headers.Add("X-Scheduler-Client", "release-bot/7");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await node.Api.Http.SendAsync(put)).StatusCode);
        await using var browser = await chromium.OpenAsync(node.BaseUrl);

        await browser.GoToAsync(DashboardRoutes.Job(id));

        await Expect(browser.Page.Locator("#pending-edit")).ToContainTextAsync("release-bot/7");
        var row = browser.Page.Locator(".card:has(#history-type) tr").Filter(new() { HasText = "edit-scheduled" });
        await Expect(row).ToContainTextAsync("release-bot/7");
        await Expect(row).ToContainTextAsync("tags");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_backfill_a_past_range_from_the_job_page_and_show_the_skipped_counts()
    {
        var id = SchedulerApi.UniqueId("backfill");
        // Nightly at 03:00 UTC: the last three nights are a past range with exactly three occurrences.
        await node.Api.CreateJobAsync(SchedulerApi.CronJob(id, "0 0 3 * * *", "echo backfilled"));
        var today = DateTime.UtcNow.Date;
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Job(id));
        await Expect(page.Locator("#skipped-counts")).ToContainTextAsync("0 missed by the catch-up window, 0 skipped by overlap");

        await page.Locator("#backfill-from").FillAsync(today.AddDays(-3).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#backfill-to").FillAsync(today.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#backfill-go").ClickAsync();

        await Expect(page.Locator("#toast")).ToContainTextAsync("Backfill: 3 runs queued");
        var runs = await node.Api.EventuallyAsync(SchedulerApi.JobPath(id, "/runs"), list => list["items"]!.AsArray().Count == 3, "three backfill runs");
        Assert.All(runs["items"]!.AsArray(), run => Assert.Equal("backfill", run!["trigger"]!.GetValue<string>()));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_list_ten_next_occurrences_when_the_job_has_a_cron_schedule()
    {
        var id = SchedulerApi.UniqueId("next");
        await node.Api.CreateJobAsync(SchedulerApi.CronJob(id, "0 0 3 * * *", "echo nightly"));
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        await browser.GoToAsync(DashboardRoutes.Job(id));

        await Expect(browser.Page.Locator("#next-occurrences li")).ToHaveCountAsync(10);
        await Expect(browser.Page.Locator("#next-occurrences li").First).ToContainTextAsync("T03:00:00.000Z");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_link_both_jobs_when_one_is_triggered_by_the_others_success()
    {
        var upstream = SchedulerApi.UniqueId("upstream");
        var downstream = SchedulerApi.UniqueId("downstream");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(upstream, "echo extract"));
        var triggered = SchedulerApi.ShellJob(downstream, "echo load");
        triggered["triggers"] = new JsonArray(new JsonObject { ["job"] = upstream, ["on"] = "succeeded" });
        await node.Api.CreateJobAsync(triggered);
        // The trigger index follows the definition shortly after the job answers.
        await node.Api.EventuallyAsync(SchedulerApi.JobPath(upstream, "/links"),
            links => links["triggers"]!.AsArray().Any(t => t!["job"]?.GetValue<string>() == downstream), $"{upstream} to list {downstream}");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;

        await browser.GoToAsync(DashboardRoutes.Job(upstream));
        await Expect(page.Locator("#triggers li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#triggers li")).ToContainTextAsync($"{downstream} when this one has succeeded");

        await page.Locator($"#triggers a[href='{DashboardRoutes.Job(downstream)}']").ClickAsync();
        await Expect(page.Locator("#triggered-by li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#triggered-by li")).ToContainTextAsync($"{upstream} when it has succeeded");
        await Expect(page.Locator("#triggers")).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_show_the_reason_of_skipped_occurrences_in_the_history_when_runs_overlapped()
    {
        var id = SchedulerApi.UniqueId("skipper");
        var job = SchedulerApi.CronJob(id, "* * * * * *", "sleep 3");
        job["overlap"] = "skip";
        await node.Api.CreateJobAsync(job);
        try
        {
            await node.Api.EventuallyAsync(SchedulerApi.JobPath(id, "/history"),
                history => history["items"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == "runs-skipped"),
                "an occurrence skipped while the previous run sleeps");
        }
        finally
        {
            // A job due every second would keep the shared node busy for the other specs.
            await node.Api.PauseAsync(id, "enough skips seen");
        }
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Job(id));

        await page.Locator("#history-type").SelectOptionAsync("runs-skipped");

        var rows = page.Locator(".card:has(#history-type) tbody tr");
        await Expect(rows.First).ToContainTextAsync("skipped");
        await Expect(rows.First.Locator(".skip")).ToContainTextAsync("overlap: the previous run was still running");
        await Expect(rows.Locator("code").Filter(new() { HasNotText = "runs-skipped" })).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }
}
