using System.Net;
using System.Text;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Gateway;

namespace ActorScheduler.Bench.Systems;

/// <summary>ActorScheduler's HTTP API on a free loopback port, and a client that POSTs /api/v1/jobs.</summary>
public sealed class OurHttpClient : IJobClient, IAsyncDisposable
{
    private readonly GatewayServer _server;
    private readonly HttpClient _http;

    private OurHttpClient(GatewayServer server) =>
        (_server, _http) = (server, new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) });

    public static async Task<OurHttpClient> StartAsync(JobService jobs, GatewaySettings settings) =>
        new(await GatewayServer.StartAsync(jobs, settings with { Host = "127.0.0.1", Port = 0 }));

    public async Task CreateAsync(BenchJob job, CancellationToken cancel)
    {
        using var body = new StringContent(CoreJson.Serialize(OurJobs.Definition(job)), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("api/v1/jobs", body, cancel);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"POST {job.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancel)}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
