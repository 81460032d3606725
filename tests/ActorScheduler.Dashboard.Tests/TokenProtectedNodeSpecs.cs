using System.Net;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>The token-protected node the sign-in specs start from.</summary>
[Collection(TokenProtectedCollection.Name)]
public sealed class TokenProtectedNodeSpecs(TokenProtectedNode node, HeadlessChromium chromium)
{
    [Fact]
    public async Task Should_answer_the_api_only_with_the_token_when_the_node_has_one()
    {
        using var anonymous = new HttpClient { BaseAddress = node.BaseUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Api.Http.GetAsync("/api/v1/jobs")).StatusCode);

        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var response = await browser.Page.GotoAsync("api/v1/jobs");
        Assert.Equal(401, response?.Status);
    }
}
