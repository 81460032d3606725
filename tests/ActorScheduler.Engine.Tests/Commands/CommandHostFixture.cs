using ActorScheduler.CommandHost;
using ActorScheduler.Commands;
using ActorScheduler.Engine.CommandPalettes;

namespace ActorScheduler.Engine.Tests.Commands;

/// <summary>A single-node engine with its command host on a free loopback port, and clients connected over real TCP.</summary>
public sealed class CommandHostFixture : IAsyncDisposable
{
    public const string Token = "a-command-host-token-of-at-least-32-chars";

    private readonly List<CommandClient> _clients = [];

    public required EngineFixture Engine { get; init; }
    public required CommandServer Server { get; init; }

    public static async Task<CommandHostFixture> StartAsync(string? token = null, int maxConnections = 16)
    {
        var engine = await EngineFixture.StartAsync(new CountingRunner());
        var settings = new CommandHostSettings(true, "127.0.0.1", 0, token, maxConnections, 100);
        return new CommandHostFixture { Engine = engine, Server = NodeCommandHost.Start(engine.Host, settings, TimeProvider.System)! };
    }

    public async Task<CommandClient> ConnectAsync(string? token = null)
    {
        var client = await CommandClient.ConnectAsync("127.0.0.1", Server.Port, token, TimeSpan.FromSeconds(30), "specs");
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
    }
}

/// <summary>Reading what a command answered.</summary>
public static class Answers
{
    public static Dictionary<string, string> Args(params (string Name, string Value)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => a.Value);

    public static async Task<IReadOnlyList<Output>> Ok(this CommandClient client, string palette, string command, params (string Name, string Value)[] arguments)
    {
        var (end, outputs) = await client.RunAsync(palette, command, Args(arguments));
        Assert.True(end.Status == EndStatus.Ok, $"{palette} {command} ended {end.Status}: {end.Message}");
        return outputs;
    }

    public static async Task<End> Refused(this CommandClient client, string palette, string command, params (string Name, string Value)[] arguments) =>
        (await client.RunAsync(palette, command, Args(arguments))).End;

    public static string Field(this Output output, string name) => output.Data.GetProperty(name).ToString();
}
