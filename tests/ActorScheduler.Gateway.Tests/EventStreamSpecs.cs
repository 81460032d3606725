using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Live journal events as server-sent events over a real socket: ids are positions, and a reconnect with
/// <c>Last-Event-ID</c> gets exactly what it missed.
/// </summary>
public sealed class EventStreamSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private sealed record Received(long Id, string Type, string Job, long Seq, long Position);

    /// <summary>Opens the stream and reads events until <paramref name="enough"/> says stop (bounded in time, not a goal).</summary>
    private async Task<List<Received>> Read(string path, Func<List<Received>, bool> enough, string? lastEventId = null, Action<Received>? seen = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await gateway.Api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var received = new List<Received>();
        await using var body = await response.Content.ReadAsStreamAsync(patience.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(patience.Token))
        {
            if (item.EventType == "heartbeat")
            {
                Assert.True(string.IsNullOrEmpty(item.EventId), "a heartbeat leaves the client's Last-Event-ID alone");
                continue;
            }
            var data = JsonDocument.Parse(item.Data).RootElement;
            received.Add(new Received(long.Parse(item.EventId!), item.EventType, data.GetProperty("jobId").GetString()!,
                data.GetProperty("seq").GetInt64(), data.GetProperty("position").GetInt64()));
            seen?.Invoke(received[^1]);
            if (enough(received))
                break;
        }
        return received;
    }

    private const string Definition = """{"id":"ID","schedule":{"every":{"hours":1}},"run":{"shell":{"command":["true"]}}}""";

    private async Task Create(string id) =>
        Assert.Equal(HttpStatusCode.Created, (await gateway.Api.Post("/api/v1/jobs",
            Definition.Replace("ID", id))).StatusCode);

    private async Task Trigger(string id) =>
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.Api.Post($"/api/v1/jobs/{id}/trigger")).StatusCode);

    [Fact]
    public async Task Should_stream_a_jobs_events_as_they_are_written_with_their_sequence_numbers_as_ids()
    {
        await Create("sse-live");

        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Read("/api/v1/jobs/sse-live/events", r => r.Any(e => e.Type == "run-finished"), seen: _ => opened.TrySetResult());
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(90));
        await Trigger("sse-live"); // the stream has delivered the job's definition: the run's events can only arrive live
        var events = await reading;

        Assert.Equal("job-defined", events[0].Type);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal(e.Seq, e.Id));
        Assert.Contains(events, e => e.Type == "run-dispatched");
    }

    [Fact]
    public async Task Should_resume_after_the_last_event_id_with_nothing_missed_and_nothing_twice()
    {
        await Create("sse-resume");
        await Trigger("sse-resume");
        var all = await Read("/api/v1/jobs/sse-resume/events", r => r.Any(e => e.Type == "run-finished"));

        var resumed = await Read("/api/v1/jobs/sse-resume/events", r => r.Count == all.Count - 1, lastEventId: "1");
        var fromQuery = await Read("/api/v1/jobs/sse-resume/events?from=2", r => r.Count == all.Count - 1);

        Assert.Equal(all.Skip(1), resumed);
        Assert.Equal(all.Skip(1), fromQuery);
    }

    [Fact]
    public async Task Should_stream_every_jobs_events_by_global_position_and_resume_by_it()
    {
        await Create("sse-all-a");
        await Create("sse-all-b");
        var first = await Read("/api/v1/events", r => r.Any(e => e.Job == "sse-all-a") && r.Any(e => e.Job == "sse-all-b"));
        var cut = first[^2];

        var resumed = await Read("/api/v1/events", r => r.Count == 1, lastEventId: cut.Id.ToString());

        Assert.All(first, e => Assert.Equal(e.Position, e.Id));
        Assert.Equal(first.Select(e => e.Id).Order(), first.Select(e => e.Id)); // ascending
        Assert.Equal(first.Select(e => e.Id).Distinct().Count(), first.Count);
        Assert.Equal(first[^1], resumed.Single());
    }

    [Fact]
    public async Task Should_answer_503_past_the_open_stream_limit_and_take_a_stream_again_once_one_has_closed()
    {
        // Streams of other specs that ended a moment ago may still hold places (a gateway notices a reader has gone
        // when it next writes, a heartbeat at the latest), so streams are opened until the gateway refuses one.
        var open = new List<HttpResponseMessage>();
        try
        {
            HttpResponseMessage response;
            while ((response = await gateway.Api.Client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead)).StatusCode == HttpStatusCode.OK)
            {
                open.Add(response);
                Assert.True(open.Count <= Endpoints.EventEndpoints.MaxStreams, "the gateway opened more streams than its limit");
            }
            var refused = response.StatusCode;
            open[0].Dispose(); // the reader leaves: its place is freed once the gateway notices (its next heartbeat at the latest)
            HttpStatusCode again = default;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (again != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            {
                using var retry = await gateway.Api.Client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
                again = retry.StatusCode;
                if (again != HttpStatusCode.OK)
                    await Task.Delay(250);
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
            Assert.Equal(HttpStatusCode.OK, again);
        }
        finally
        {
            foreach (var response in open)
                response.Dispose();
        }
    }

    [Fact]
    public async Task Should_answer_404_for_a_job_that_was_never_defined_and_400_for_a_bad_position()
    {
        var missing = await gateway.Api.Get("/api/v1/jobs/sse-never/events");
        var badFrom = await gateway.Api.Get("/api/v1/events?from=-3");
        var badLast = await gateway.Api.Send(HttpMethod.Get, "/api/v1/events", null, ("Last-Event-ID", "yesterday"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFrom.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLast.StatusCode);
    }
}
