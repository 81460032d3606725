using ActorScheduler.Commands;

namespace ActorScheduler.Engine.Tests.Commands;

/// <summary>
/// <c>deploy</c> on a node's command host that has no deployer (the fixture starts none, as a node without the
/// database or with deployments off): the command is advertised and refuses saying why. Deploying itself is specified
/// against a real node (Integration.Tests, DeployCliSpecs).
/// </summary>
public sealed class DeployPaletteSpecs
{
    [Fact]
    public async Task Should_refuse_saying_why_when_the_node_has_no_deployer()
    {
        await using var host = await CommandHostFixture.StartAsync();
        var client = await host.ConnectAsync();

        var end = await client.Refused("deploy", "deploy", ("directory", "[]"));

        Assert.Equal(EndStatus.Failed, end.Status);
        Assert.Contains("does not deploy scripts", end.Message);
    }
}
