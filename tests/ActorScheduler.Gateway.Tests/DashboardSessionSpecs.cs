using System.Net;
using System.Text.Json;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// The dashboard's sign-in on a gateway with a token: the session cookie stands in for the bearer token, and a change
/// made with it must repeat the session's CSRF token.
/// </summary>
public sealed class DashboardSessionSpecs(SecuredGatewayFixture gateway) : IClassFixture<SecuredGatewayFixture>
{
    /// <summary>A browser-like client: no Authorization header, keeps cookies (in <paramref name="jar"/> when given).</summary>
    private Api Browser(CookieContainer? jar = null, Uri? url = null) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = jar ?? new CookieContainer() }) { BaseAddress = url ?? gateway.Server.Url });

    private static async Task<string> SignIn(Api browser, string token = SecuredGatewayFixture.Secret)
    {
        var answer = await Api.Expect<JsonElement>(await browser.Post("/dashboard/session", JsonSerializer.Serialize(new { token })), HttpStatusCode.OK);
        return answer.GetProperty("csrf").GetString()!;
    }

    [Fact]
    public async Task Should_ask_for_a_sign_in_and_refuse_the_api_before_it()
    {
        using var browser = Browser();

        var session = await Api.Expect<JsonElement>(await browser.Get("/dashboard/session"), HttpStatusCode.OK);

        Assert.True(session.GetProperty("tokenRequired").GetBoolean());
        Assert.False(session.GetProperty("signedIn").GetBoolean());
        await Api.ExpectProblem(await browser.Get("/api/v1/jobs"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await browser.Get("/")).StatusCode); // the page itself holds no data: it shows the sign-in
    }

    [Fact]
    public async Task Should_refuse_a_wrong_token_without_setting_a_cookie()
    {
        using var browser = Browser();

        var refused = await browser.Post("/dashboard/session", """{ "token": "not-the-token" }""");

        await Api.ExpectProblem(refused, HttpStatusCode.Forbidden);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        await Api.ExpectProblem(await browser.Post("/dashboard/session", "{}"), HttpStatusCode.BadRequest, "token");
    }

    [Fact]
    public async Task Should_set_a_strict_http_only_cookie_that_reads_the_api()
    {
        using var browser = Browser();

        var answer = await browser.Post("/dashboard/session", JsonSerializer.Serialize(new { token = SecuredGatewayFixture.Secret }));

        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SecuredGatewayFixture.Secret, cookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.Get("/api/v1/jobs")).StatusCode);
        var session = await Api.Expect<JsonElement>(await browser.Get("/dashboard/session"), HttpStatusCode.OK);
        Assert.True(session.GetProperty("signedIn").GetBoolean());
    }

    [Fact]
    public async Task Should_refuse_a_change_made_with_the_cookie_but_without_the_csrf_token()
    {
        using var browser = Browser();
        var csrf = await SignIn(browser);
        var id = Api.NewId("csrf");
        await gateway.Api.CreateJob(id);

        var forged = await browser.Post($"/api/v1/jobs/{id}/pause", """{ "reason": "forged" }""");
        var wrong = await browser.Send(HttpMethod.Post, $"/api/v1/jobs/{id}/pause", """{ "reason": "forged" }""", ("X-CSRF-Token", csrf + "x"));
        var genuine = await browser.Send(HttpMethod.Post, $"/api/v1/jobs/{id}/pause", """{ "reason": "from the dashboard" }""", ("X-CSRF-Token", csrf));

        await Api.ExpectProblem(forged, HttpStatusCode.Forbidden, "X-CSRF-Token");
        await Api.ExpectProblem(wrong, HttpStatusCode.Forbidden, "X-CSRF-Token");
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal("from the dashboard", (await gateway.Api.GetJob(id)).PausedReason);
    }

    [Fact]
    public async Task Should_not_accept_a_tampered_cookie_nor_one_signed_with_another_token()
    {
        var jar = new CookieContainer();
        using var browser = Browser(jar);
        await SignIn(browser);
        var name = "as_session_" + gateway.Server.Url.Port;
        var parts = jar.GetCookies(gateway.Server.Url)[name]!.Value.Split('.');

        // A later expiry with the same MAC, and a cookie of a gateway with another token, are both strangers here.
        var extended = $"{long.Parse(parts[0]) + 86_400}.{parts[1]}.{parts[2]}";
        await using var other = await gateway.StartGateway(s => s with { Token = "another-token-of-enough-length-0123456789" });
        var otherJar = new CookieContainer();
        using var otherBrowser = Browser(otherJar, other.Url);
        await SignIn(otherBrowser, "another-token-of-enough-length-0123456789");
        var foreign = $"{name}=" + otherJar.GetCookies(other.Url)["as_session_" + other.Url.Port]!.Value;

        using var raw = new HttpClient { BaseAddress = gateway.Server.Url };
        foreach (var forged in new[] { $"{name}={extended}", foreign, $"{name}=1.2.3", $"{name}=" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
            request.Headers.Add("Cookie", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, (await raw.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Should_sign_out_by_dropping_the_cookie()
    {
        using var browser = Browser();
        await SignIn(browser);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Delete("/dashboard/session")).StatusCode);

        await Api.ExpectProblem(await browser.Get("/api/v1/jobs"), HttpStatusCode.Unauthorized);
    }
}
