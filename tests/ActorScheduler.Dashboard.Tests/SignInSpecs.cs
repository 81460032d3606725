using System.Runtime.CompilerServices;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// The dashboard of a node whose API needs its token: the sign-in, the session cookie that stands in for the token,
/// and the CSRF token every change must repeat.
/// </summary>
[Collection(TokenProtectedCollection.Name)]
public sealed class SignInSpecs(TokenProtectedNode node, HeadlessChromium chromium)
{
    /// <summary>What a page of this origin sends when its script posts a change; answers the HTTP status.</summary>
    private const string PostFromThePage = "async ({ path, headers }) => (await fetch(path, { method: 'POST', headers })).status";

    [Fact]
    public async Task Should_refuse_a_wrong_token_and_show_the_overview_when_the_right_token_is_given()
    {
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Overview);
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();

        await page.Locator("#token").FillAsync("not-the-token-" + Guid.NewGuid().ToString("N"));
        await page.Locator("form.sign-in button[type=submit]").ClickAsync();

        await Expect(page.Locator("#sign-in-error")).ToContainTextAsync("not the token");
        await Expect(page.Locator("#status-counts")).ToHaveCountAsync(0);

        await page.Locator("#token").FillAsync(node.Token!);
        await page.Locator("form.sign-in button[type=submit]").ClickAsync();

        await Expect(page.Locator("#status-counts .count").First).ToBeVisibleAsync();
        await Expect(page.Locator("#token")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors(provokedStatuses: 403);
    }

    [Fact]
    public async Task Should_pause_and_resume_a_job_from_its_page_when_signed_in_since_the_page_repeats_the_csrf_token()
    {
        var id = SchedulerApi.UniqueId("signed-in");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo guarded"));
        await using var browser = await SignedInAtAsync(DashboardRoutes.Job(id));
        var page = browser.Page;
        var status = page.Locator(".job-head h1 [data-status]");
        await Expect(status).ToHaveAttributeAsync("data-status", "waiting");

        await page.Locator("#pause-reason").FillAsync("signed-in change");
        await page.Locator(".job-head button[data-action=pause]").ClickAsync();

        await Expect(status).ToHaveAttributeAsync("data-status", "paused");
        Assert.Equal("signed-in change", (await node.Api.FindJobAsync(id))!["pausedReason"]?.GetValue<string>());

        await page.Locator(".job-head button[data-action=resume]").ClickAsync();

        await Expect(status).ToHaveAttributeAsync("data-status", "waiting");
        Assert.Equal("waiting", (await node.Api.FindJobAsync(id))!["status"]!.GetValue<string>());
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_refuse_a_change_with_403_when_the_session_cookie_comes_without_the_csrf_token()
    {
        var id = SchedulerApi.UniqueId("csrf");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "echo guarded"));
        await using var browser = await SignedInAtAsync(DashboardRoutes.Overview);
        var pause = SchedulerApi.JobPath(id, "/pause");

        var withoutCsrf = await browser.Page.EvaluateAsync<int>(PostFromThePage, new { path = pause, headers = new { } });

        Assert.Equal(403, withoutCsrf);
        Assert.Equal("waiting", (await node.Api.FindJobAsync(id))!["status"]!.GetValue<string>());

        // The same request repeating the session's CSRF token passes: the header alone made the difference.
        var csrf = await browser.Page.EvaluateAsync<string>("async () => (await (await fetch('/dashboard/session')).json()).csrf");
        var withCsrf = await browser.Page.EvaluateAsync<int>(PostFromThePage, new { path = pause, headers = new Dictionary<string, string> { ["X-CSRF-Token"] = csrf } });

        Assert.Equal(200, withCsrf);
        Assert.Equal("paused", (await node.Api.FindJobAsync(id))!["status"]!.GetValue<string>());
        browser.AssertNoConsoleErrors(provokedStatuses: 403);
    }

    /// <summary>Opens the route, which asks for the token first, and signs in: the page then shows that route.</summary>
    private async Task<BrowserSession> SignedInAtAsync(string route, [CallerMemberName] string test = "")
    {
        var browser = await chromium.OpenAsync(node.BaseUrl, test: test);
        try
        {
            await browser.GoToAsync(route);
            await browser.Page.Locator("#token").FillAsync(node.Token!);
            await browser.Page.Locator("form.sign-in button[type=submit]").ClickAsync();
            await Expect(browser.Page.Locator("#token")).ToHaveCountAsync(0);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }
}
