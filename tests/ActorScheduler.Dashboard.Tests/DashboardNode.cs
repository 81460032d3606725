using System.Net.Http.Headers;
using ActorScheduler.Integration.Tests;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// One real node for a whole test collection: every role, embedded SQLite in a temporary data directory, the
/// gateway (and so the dashboard) on a free loopback port. Shell jobs may run bash and sh only, as on a worker with
/// an allow-list; the specs give their jobs unique ids, since they share this node.
/// </summary>
public class DashboardNode : IAsyncLifetime
{
    private NodeProcess? _process;

    /// <summary>The node's process, with its captured console for failure messages.</summary>
    public NodeProcess Process => _process ?? throw new InvalidOperationException("The node has not started yet.");

    /// <summary>The dashboard's address, ending in '/': <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Process.Port}/");

    /// <summary>The HTTP API, signed in with <see cref="Token"/> when there is one.</summary>
    public SchedulerApi Api => new(Process);

    /// <summary>The gateway's API token; null when the node runs without one.</summary>
    public virtual string? Token => null;

    public async Task InitializeAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["ACTORSCHEDULER__WORKER__SHELL__ALLOW_ANY_COMMAND"] = "false",
            ["ACTORSCHEDULER__WORKER__SHELL__ALLOWED_COMMANDS"] = "bash,sh",
        };
        if (Token is { } token)
            environment["ACTORSCHEDULER__GATEWAY__TOKEN"] = token;
        _process = await NodeProcess.StartAsync(environment: environment);
        if (Token is not null)
            _process.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
            return;
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_process.DataDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover directory under /tmp does no harm.
        }
    }
}

/// <summary>The same node with an API token (<c>actor-scheduler.gateway.token</c>), for the sign-in specs.</summary>
public sealed class TokenProtectedNode : DashboardNode
{
    /// <summary>Long enough for any address (at least 32 characters), though the node stays on loopback.</summary>
    public override string? Token { get; } = "dashboard-specs-" + Guid.NewGuid().ToString("N");
}
