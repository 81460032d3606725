using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// The queues (<c>#/queues</c>) and a queue's items (<c>#/queues/{queue}</c>): counts by status, the items filtered by
/// status, sorted, paged, with the top-level scalar fields of their data as columns. Each spec uses a queue of its own.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class QueuePageSpecs(DashboardNode node, HeadlessChromium chromium)
{
    /// <summary>page-queues.js shows 50 items a page.</summary>
    private const int PageSize = 50;

    [Fact]
    public async Task Should_list_a_queue_with_its_counts_by_status_and_open_its_items_from_there()
    {
        var queue = SchedulerApi.UniqueId("files");
        await AddAsync(queue, """{ "file": "a.csv", "rows": 12 }""", "pending");
        await AddAsync(queue, """{ "file": "b.csv", "rows": 3 }""", "pending");
        await AddAsync(queue, """{ "file": "c.csv", "rows": 0 }""", "failed");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;

        await browser.GoToAsync(DashboardRoutes.Queues);
        var row = page.Locator("#queue-list tr", new() { Has = page.Locator($"a.queue-link:text-is('{queue}')") });
        await Expect(row).ToContainTextAsync("3");
        await Expect(row.Locator("a[data-count=pending]")).ToHaveTextAsync("2");
        await Expect(row.Locator("a[data-count=failed]")).ToHaveTextAsync("1");
        await row.Locator("a.queue-link").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"#/queues/{Regex.Escape(queue)}$"));
        await Expect(page.Locator("#item-list th")).ToHaveTextAsync(["Item", "Status", "file", "rows", "Created", "Updated"]);
        await Expect(page.Locator("#item-list tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#item-list tbody tr").First).ToContainTextAsync("a.csv");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_show_only_the_items_of_the_status_chosen_newest_first_when_sorted_so()
    {
        var queue = SchedulerApi.UniqueId("sorted");
        var first = await AddAsync(queue, """{ "n": 1 }""", "done");
        await AddAsync(queue, """{ "n": 2 }""", "pending");
        var third = await AddAsync(queue, """{ "n": 3 }""", "done");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Queue(queue));
        await Expect(page.Locator("#item-list tbody tr")).ToHaveCountAsync(3);

        await page.Locator("#filter-status").SelectOptionAsync("done");
        await Expect(page.Locator("#item-list code.item-id")).ToHaveTextAsync([first, third]);
        await page.Locator("#sort").SelectOptionAsync("-createdAt");

        await Expect(page.Locator("#item-list code.item-id")).ToHaveTextAsync([third, first]);
        await Expect(page).ToHaveURLAsync(new Regex("status=done.*sort=-createdAt|sort=-createdAt.*status=done"));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_page_through_the_items_and_leave_nested_data_out_of_the_columns()
    {
        var queue = SchedulerApi.UniqueId("paged");
        var ids = new List<string>();
        for (var i = 0; i < PageSize + 3; i++)
            ids.Add(await AddAsync(queue, $$"""{ "n": {{i}}, "nested": { "deep": true }, "list": [1, 2] }""", "pending"));
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Queue(queue));
        await Expect(page.Locator("#item-list code.item-id")).ToHaveTextAsync(ids.Take(PageSize));
        await Expect(page.Locator("#item-list th")).ToHaveTextAsync(["Item", "Status", "n", "Created", "Updated"]);

        await page.Locator("#next-page").ClickAsync();

        await Expect(page.Locator("#item-list code.item-id")).ToHaveTextAsync(ids.Skip(PageSize));
        await Expect(page.Locator(".pager")).ToContainTextAsync("page 2");
        await Expect(page.Locator("#next-page")).ToBeDisabledAsync();
        browser.AssertNoConsoleErrors();
    }

    /// <summary>Adds an item through the API; answers its id.</summary>
    private async Task<string> AddAsync(string queue, string data, string status)
    {
        var body = new JsonObject { ["data"] = JsonNode.Parse(data), ["status"] = status };
        var response = await node.Api.Http.PostAsJsonAsync($"/api/v1/queues/{queue}/items", body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
            throw new XunitException($"POST /api/v1/queues/{queue}/items → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }
}
