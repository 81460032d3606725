namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// The drills' cluster (lighthouse, two schedulers, two workers, a gateway, on PostgreSQL) as real processes, shared
/// by the schedctl specs; each spec that removes a member adds its own worker first.
/// </summary>
public sealed class CliCluster : IAsyncLifetime
{
    public LocalCluster Cluster { get; private set; } = null!;

    /// <summary>host:port of a process's command host, once it has logged that it listens (a node starts it last).</summary>
    public string Host(string process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Cluster[process].CommandPort is null && DateTime.UtcNow < deadline)
            Thread.Sleep(100);
        return $"127.0.0.1:{Cluster[process].CommandPort ?? throw new InvalidOperationException($"{process} logged no command host port:\n{Cluster[process].Console}")}";
    }

    public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
