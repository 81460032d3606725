using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// The jobs list (<c>#/jobs</c>): search, status filter, bulk actions and paging. Other specs' jobs share the node, so
/// each spec gives its jobs a unique prefix and searches for it; the list is a read model that follows each job shortly
/// after it answers, so a spec first waits (through the API) until the list holds what it set up.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class JobListSpecs(DashboardNode node, HeadlessChromium chromium)
{
    /// <summary>page-jobs.js shows 50 jobs a page.</summary>
    private const int PageSize = 50;

    [Fact]
    public async Task Should_narrow_the_list_to_the_ids_containing_the_search()
    {
        var ids = ThreeJobs("search");
        await using var browser = await OpenSearchedListAsync(ids);
        var page = browser.Page;

        await page.Locator("#filter-q").FillAsync((Prefix(ids) + "-be").ToUpperInvariant()); // the search ignores case
        await Expect(page.Locator("a.job-link")).ToHaveTextAsync([ids[1]]);

        await page.Locator("#filter-q").FillAsync(ids[0] + "-nothing");
        await Expect(page.Locator("#job-list")).ToContainTextAsync("No job matches these filters.");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_pause_every_selected_job_with_the_reason_and_filter_them_by_status_when_paused_in_bulk()
    {
        var ids = ThreeJobs("bulk");
        await using var browser = await OpenSearchedListAsync(ids);
        var page = browser.Page;

        await page.Locator($"input[data-job='{ids[0]}']").CheckAsync();
        await page.Locator($"input[data-job='{ids[1]}']").CheckAsync();
        await Expect(page.Locator("#selected-count")).ToHaveTextAsync("2 selected");
        await page.Locator("#bulk-reason").FillAsync("quarterly freeze");
        await page.Locator("#bulk button[data-action=pause]").ClickAsync();

        await Expect(page.Locator("#toast")).ToContainTextAsync("pause: done for 2 jobs.");
        foreach (var id in ids[..2])
        {
            var job = (await node.Api.FindJobAsync(id))!;
            Assert.True(job["status"]!.GetValue<string>() == "paused" && job["pausedReason"]?.GetValue<string>() == "quarterly freeze",
                $"{id} was selected and paused in bulk with a reason, yet the API shows {job.ToJsonString()}");
        }
        Assert.Equal("waiting", (await node.Api.FindJobAsync(ids[2]))!["status"]!.GetValue<string>());

        await node.Api.EventuallyListedAsync(Prefix(ids), 2, status: "paused");
        await page.Locator("#filter-status").SelectOptionAsync("paused");
        await Expect(page.Locator("a.job-link")).ToHaveTextAsync(ids[..2]);
        await page.Locator("#filter-status").SelectOptionAsync("waiting");
        await Expect(page.Locator("a.job-link")).ToHaveTextAsync([ids[2]]);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_page_through_the_matches_when_more_than_a_page_of_jobs_match_the_search()
    {
        var prefix = SchedulerApi.UniqueId("paging");
        var ids = Enumerable.Range(1, PageSize + 5).Select(i => $"{prefix}-{i:000}").ToArray();
        await using var browser = await OpenSearchedListAsync(ids, shownFirst: ids[..PageSize]);
        var page = browser.Page;
        await Expect(page.Locator("#next-page")).ToBeEnabledAsync();

        await page.Locator("#next-page").ClickAsync();

        await Expect(page.Locator("a.job-link")).ToHaveTextAsync(ids[PageSize..]);
        await Expect(page.Locator(".pager")).ToContainTextAsync("page 2");
        await Expect(page.Locator("#next-page")).ToBeDisabledAsync();
        browser.AssertNoConsoleErrors();
    }

    /// <summary>"{unique prefix}-alpha", "-beta" and "-gamma".</summary>
    private static string[] ThreeJobs(string name)
    {
        var prefix = SchedulerApi.UniqueId(name);
        return [$"{prefix}-alpha", $"{prefix}-beta", $"{prefix}-gamma"];
    }

    /// <summary>The unique prefix the ids share: all but their last part.</summary>
    private static string Prefix(string[] ids) => ids[0][..ids[0].LastIndexOf('-')];

    /// <summary>
    /// Creates the jobs (which share a unique prefix) and a decoy, waits until the list holds them, opens the list and
    /// searches for the prefix: answers once the page shows <paramref name="shownFirst"/> (by default every id).
    /// <para>
    /// The decoy sorts before the jobs and matches no spec's search, so that the list before a search never looks like
    /// its result: a spec waiting for the result cannot mistake the unfiltered list for it, and then see its selection
    /// cleared by the search's own load. The first page is drawn before the search is typed, or its load could overtake
    /// the search's.
    /// </para>
    /// </summary>
    private async Task<BrowserSession> OpenSearchedListAsync(string[] ids, string[]? shownFirst = null, [CallerMemberName] string test = "")
    {
        await node.Api.CreateJobsAsync(ids.Prepend(SchedulerApi.UniqueId("0-decoy")).Select(id => (JsonNode)SchedulerApi.ShellJob(id, "echo listed")));
        await node.Api.EventuallyListedAsync(Prefix(ids), ids.Length);
        var browser = await chromium.OpenAsync(node.BaseUrl, test: test);
        try
        {
            await browser.GoToAsync(DashboardRoutes.Jobs);
            await Expect(browser.Page.Locator("#next-page")).ToBeAttachedAsync();
            await browser.Page.Locator("#filter-q").FillAsync(Prefix(ids));
            await Expect(browser.Page.Locator("a.job-link")).ToHaveTextAsync(shownFirst ?? ids);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }
}
