using System.Text.RegularExpressions;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>The dashboard as a person meets it in a browser.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardSpecs(DashboardNode node, HeadlessChromium chromium)
{
    /// <summary>Fails until the gateway serves the dashboard at <c>/</c> (today it answers 404 problem+json).</summary>
    [Fact]
    public async Task Dashboard_home_page_loads()
    {
        await using var browser = await chromium.OpenAsync(node.BaseUrl);

        var response = await browser.Page.GotoAsync("/");

        Assert.True(response is { Ok: true }, $"GET / answered {response?.Status}: {(response is null ? "" : await response.TextAsync())}");
        await Expect(browser.Page).ToHaveTitleAsync(new Regex("ActorScheduler"));
        browser.AssertNoConsoleErrors();
    }
}
