namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// A spec class that drives <c>schedctl</c> against its own all-in-one node (one process, SQLite), with a scratch
/// directory for the files it hands schedctl; both go when the class is done.
/// </summary>
public abstract class AllInOneCliSpecsBase(string prefix) : IAsyncLifetime
{
    protected NodeProcess Node { get; private set; } = null!;

    protected string Scratch { get; } = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    /// <summary>The node's command host, once the node has logged it.</summary>
    protected string Host => Schedctl.HostOf(Node);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Scratch);
        Node = await NodeProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }

    /// <summary>Runs schedctl against the node and fails the spec, with what it printed, unless it exits with 0.</summary>
    protected async Task<SchedctlResult> Ok(params string[] arguments)
    {
        var result = await Schedctl.RunAsync([Host, .. arguments]);
        Assert.True(result.ExitCode == 0, $"schedctl {string.Join(' ', arguments)}: {result}");
        return result;
    }
}
