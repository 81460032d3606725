using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests.Telemetry;

/// <summary>A node configured with an OTLP endpoint sends its spans there (a real socket, OTLP over HTTP with protobuf).</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportSpecs
{
    [Fact]
    public async Task Should_post_the_spans_of_a_run_to_the_configured_http_endpoint()
    {
        using var collector = new FakeCollector();
        var job = JobId.Parse("exported-job");
        await using (var engine = await EngineFixture.StartAsync(new CountingRunner(), extraHocon: $$"""
            actor-scheduler.telemetry.otlp { endpoint = "{{collector.Address}}", protocol = "http/protobuf", metrics = off }
            """))
        {
            var definition = CoreJson.Deserialize<JobDefinition>("""{"id":"exported-job","run":{"handler":{"name":"noop"}}}""");
            (await engine.Jobs.Define(job, definition, true)).Expect<JobAccepted>();
            (await engine.Jobs.Send(job, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>();
            await EngineFixture.Eventually(async () => (await engine.Jobs.Runs(job)).Expect<RunsListed>().Runs,
                runs => runs.Any(r => r.Status == RunStatus.Succeeded), "the run to succeed");
        } // a node that stops flushes the spans it has not sent yet

        var posts = await EngineFixture.Eventually(() => Task.FromResult<IReadOnlyList<Post>?>(collector.Posts.ToList()),
            received => received.Any(p => p.Path == "/v1/traces" && p.Contains("exported-job") && p.Contains("outcome")),
            "the trace export with the job's spans");
        var traces = posts.First(p => p.Path == "/v1/traces" && p.Contains("exported-job"));
        Assert.Equal("application/x-protobuf", traces.ContentType);
        // Protobuf carries strings as they are: span names, attribute keys and values, the resource's service name.
        Assert.True(traces.Contains("dispatch") && traces.Contains("actorscheduler.run.fencing_token") && traces.Contains("actor-scheduler"),
            "the export names its spans, their attributes and the service");
        Assert.DoesNotContain(posts, p => p.Path == "/v1/metrics");
    }

    public sealed record Post(string Path, string? ContentType, byte[] Body)
    {
        public bool Contains(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    /// <summary>An HTTP listener on a free loopback port that answers every POST with 200 and keeps what it got.</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public FakeCollector()
        {
            Address = $"http://127.0.0.1:{FreePort()}/";
            _listener.Prefixes.Add(Address);
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public ConcurrentQueue<Post> Posts { get; } = new();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Posts.Enqueue(new Post(context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close(); // an empty body is an empty export response: all accepted
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(10));
        }
    }
}
