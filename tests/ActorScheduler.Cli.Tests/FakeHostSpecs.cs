namespace ActorScheduler.Cli.Tests;

/// <summary>Specs that each get a fake command host of their own: its own port and its own record of requests.</summary>
public abstract class FakeHostSpecs(string? token = null) : IAsyncLifetime
{
    private protected FakeCommandHost Host { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = FakeCommandHost.Start(token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
