using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Ten thousand requests a hostile or broken client could send (<see cref="HostileRequests"/>), against an engine of
/// their own: each answer must be a 4xx problem document on a connection that stays up, and nothing may be stored.
/// </summary>
public sealed class HostileInputSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int Seed = 20260611;
    private const int Count = 10_000;

    // A few requests at a time over the client's pooled connections: enough to keep two cores busy, few enough
    // that a shared CI machine does not turn them into timeouts.
    private const int InFlight = 4;

    private const int FailuresShown = 20;

    [Fact]
    public async Task Should_answer_every_hostile_request_with_a_4xx_problem_and_store_nothing()
    {
        await Api.Eventually(() => gateway.Api.Get("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "the node to be ready");
        var failures = new ConcurrentQueue<(HostileRequest Request, string Failure)>();
        var answered = 0;

        await Parallel.ForEachAsync(new HostileRequests(Seed).Take(Count), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (request, _) =>
        {
            if (await Verdict(request) is { } failure)
                failures.Enqueue((request, failure));
            Interlocked.Increment(ref answered);
        });

        Assert.True(failures.IsEmpty,
            $"{failures.Count} of {answered} hostile requests (seed {Seed}) were not refused with a 4xx problem. By kind: " +
            string.Join(", ", failures.GroupBy(f => f.Request.What).Select(g => $"{g.Key} {g.Count()}")) + ". The first ones:\n" +
            string.Join("\n", failures.Take(FailuresShown).Select(f => $"{f.Failure} <- {f.Request}")));
        var page = await Api.Expect<JobList>(await gateway.Api.Get("/api/v1/jobs?limit=500"), HttpStatusCode.OK);
        Assert.True(page.Items.Count == 0, $"hostile requests stored jobs: {string.Join(", ", page.Items.Select(j => j.Id))}");
        foreach (var id in HostileRequests.PoolIds)
            await Api.ExpectProblem(await gateway.Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.NotFound);
    }

    /// <summary>Null when the answer is a 4xx problem document; else what is wrong with it.</summary>
    private async Task<string?> Verdict(HostileRequest request)
    {
        using var message = request.ToMessage();
        HttpResponseMessage response;
        string body;
        try
        {
            response = await gateway.Api.Client.SendAsync(message);
            body = await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException e)
        {
            return $"dropped connection ({e.HttpRequestError}: {e.Message})";
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is < 400 or > 499)
                return $"{status} {Truncate(body)}";
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}";
            try
            {
                using var problem = JsonDocument.Parse(body);
                return problem.RootElement.GetProperty("status").GetInt32() == status ? null : $"{status} with a problem of another status: {body}";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return $"{status} with a body that is not a problem document: {Truncate(body)}";
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
