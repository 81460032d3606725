using ActorScheduler.Core;

namespace ActorScheduler.Client.Tests;

/// <summary>
/// A node with an API token serves embedded clients only when they carry it: the receptionist is a door into the
/// cluster as much as the HTTP gateway is. Before, any process that reached the cluster port could define and run
/// shell jobs through it.
/// </summary>
public sealed class ClientAuthSpecs : IAsyncLifetime
{
    private const string Token = "client-specs-token-0123456789abcdef";

    private ClientNode _node = null!;

    public async Task InitializeAsync() => _node = await ClientNode.StartAsync(extraHocon: $"actor-scheduler.gateway.token = \"{Token}\"");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private ActorSchedulerClient Client(string? token) =>
        new(new ActorSchedulerClientOptions { ContactPoints = [_node.Address], Token = token, RequestTimeout = TimeSpan.FromSeconds(60) });

    [Theory]
    [InlineData(null)]
    [InlineData("a-wrong-token-of-the-same-length-00000")]
    public async Task Should_refuse_every_call_and_create_nothing_when_the_client_lacks_the_token(string? token)
    {
        await using var stranger = Client(token);
        await using var owner = Client(Token);

        var create = await Assert.ThrowsAsync<UnauthorizedException>(() => stranger.CreateAsync(Definitions.OnDemand("intruder")));
        var wait = await Assert.ThrowsAsync<UnauthorizedException>(() =>
            stranger.WaitForRunAsync(new RunId(JobId.Parse("intruder"), 1), TimeSpan.FromSeconds(60)));

        Assert.Contains("token", create.Message);
        Assert.Contains("token", wait.Message);
        await Assert.ThrowsAsync<JobNotFoundException>(() => owner.GetAsync(JobId.Parse("intruder")));
    }

    [Fact]
    public async Task Should_serve_a_client_that_carries_the_token()
    {
        await using var owner = Client(Token);

        var created = await owner.CreateAsync(Definitions.OnDemand("invited"));

        Assert.Equal("invited", created.Id);
    }
}
