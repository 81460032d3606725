using System.Buffers.Binary;
using System.Net.Sockets;
using ActorScheduler.CommandHost;
using ActorScheduler.Commands;
using Akka.Event;

namespace ActorScheduler.Engine.Tests.Commands;

/// <summary>
/// The command host's protocol over a real socket: the palettes it advertises, who it lets in, and how requests end.
/// </summary>
public sealed class CommandHostSpecs
{
    [Fact]
    public async Task Should_advertise_every_palette_with_its_commands_and_switches_when_a_client_connects()
    {
        await using var host = await CommandHostFixture.StartAsync();
        var client = await host.ConnectAsync();

        var palettes = client.Welcome.Palettes.ToDictionary(p => p.Name);
        Assert.Equal(["actor", "board", "cluster", "cluster-sharding", "deploy", "jobs", "log", "workers"], palettes.Keys.Order());
        Assert.Equal("deploy", palettes["deploy"].Direct?.Name); // schedctl deploy DIR
        Assert.Equal(ParameterTypes.Directory, palettes["deploy"].Direct!.Parameters.Single().Type);
        Assert.Equal(["apply", "diff", "list"], palettes["board"].Commands.Select(c => c.Name).Order());
        Assert.Equal(["down", "down-unreachable", "join", "leader", "leave", "show", "status", "tail", "unreachable"],
            palettes["cluster"].Commands.Select(c => c.Name).Order());
        var leader = palettes["cluster"].Commands.Single(c => c.Name == "leader").Parameters.Single();
        Assert.Equal(("role", "r", ParameterKind.Option), (leader.Name, leader.Alias, leader.Kind));
        Assert.True(palettes["jobs"].Commands.Single(c => c.Name == "tail").Streams, "jobs tail runs until the client stops it");
        Assert.Equal("node", client.Welcome.Node.Kind);
    }

    [Fact]
    public async Task Should_refuse_a_client_without_the_token_or_with_a_wrong_one_when_a_token_is_set()
    {
        await using var host = await CommandHostFixture.StartAsync(CommandHostFixture.Token);

        var missing = await Assert.ThrowsAsync<CommandHostRefusedException>(() => host.ConnectAsync());
        var wrong = await Assert.ThrowsAsync<CommandHostRefusedException>(() => host.ConnectAsync(CommandHostFixture.Token + "x"));
        var client = await host.ConnectAsync(CommandHostFixture.Token);

        Assert.Equal(RefusalCodes.Unauthorized, missing.Code);
        Assert.Contains("--token-file", missing.Message);
        Assert.Equal(RefusalCodes.Unauthorized, wrong.Code);
        Assert.NotEmpty(client.Welcome.Palettes);
    }

    [Theory]
    [InlineData("0.0.0.0", null, "needs a token")]
    [InlineData("10.1.2.3", "short", "at least 32 characters")]
    [InlineData("127.0.0.1", "short", "at least 32 characters")]
    public void Should_refuse_settings_that_open_the_host_without_a_good_token(string address, string? token, string problem)
    {
        var settings = new CommandHostSettings(true, address, 9110, token, 16, 100);

        Assert.Contains(problem, settings.Problem("hint"));
    }

    [Fact]
    public void Should_accept_loopback_without_a_token_and_any_address_with_one()
    {
        Assert.Null(new CommandHostSettings(true, "127.0.0.1", 9110, null, 16, 100).Problem("hint"));
        Assert.Null(new CommandHostSettings(true, "0.0.0.0", 9110, CommandHostFixture.Token, 16, 100).Problem("hint"));
    }

    [Fact]
    public async Task Should_tell_one_client_too_many_that_the_host_is_busy()
    {
        await using var host = await CommandHostFixture.StartAsync(maxConnections: 1);
        await host.ConnectAsync();

        var busy = await Assert.ThrowsAsync<CommandHostRefusedException>(() => host.ConnectAsync());

        Assert.Equal(RefusalCodes.Busy, busy.Code);
    }

    [Fact]
    public async Task Should_end_a_request_for_an_unknown_palette_or_command_as_a_usage_error_and_keep_the_connection()
    {
        await using var host = await CommandHostFixture.StartAsync();
        var client = await host.ConnectAsync();

        var palette = await client.Refused("nope", "show");
        var command = await client.Refused("cluster", "nope");
        var still = await client.Ok("cluster", "status");

        Assert.Equal(EndStatus.Usage, palette.Status);
        Assert.Contains("serves", palette.Message);
        Assert.Equal(EndStatus.Usage, command.Status);
        Assert.Single(still);
    }

    [Fact]
    public async Task Should_stop_a_streaming_command_when_the_client_cancels_it_and_answer_the_next_one()
    {
        await using var host = await CommandHostFixture.StartAsync();
        var client = await host.ConnectAsync();
        using var stop = new CancellationTokenSource();
        var seen = new List<Output>();

        var tail = client.RunAsync("log", "tail", new Dictionary<string, string>(), output =>
        {
            seen.Add(output);
            stop.Cancel(); // the first line is enough
            return Task.CompletedTask;
        }, stop.Token);
        // The tail starts following once its request arrives: lines are written until one reaches it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!tail.IsCompleted && DateTime.UtcNow < deadline)
        {
            host.Engine.Host.System.Log.Warning("a line for the tail");
            await Task.WhenAny(tail, Task.Delay(200));
        }
        var end = await tail.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(EndStatus.Canceled, end.Status);
        Assert.NotEmpty(seen);
        Assert.Single(await client.Ok("cluster", "status"));
    }

    [Fact]
    public async Task Should_close_a_connection_whose_client_announces_a_frame_over_the_limit_after_the_handshake()
    {
        await using var host = await CommandHostFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.Server.Port);
        var stream = tcp.GetStream();
        await CommandProtocol.WriteAsync(stream, new Hello(null, "specs", CommandProtocol.Version));
        Assert.IsType<Welcome>(await CommandProtocol.ReadAsync(stream));
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, CommandProtocol.DefaultMaxFrameBytes + 1);

        await stream.WriteAsync(header);
        var read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, read);
        var client = await host.ConnectAsync(); // the host itself serves on
        Assert.Single(await client.Ok("cluster", "status"));
    }

    [Fact]
    public async Task Should_close_a_connection_that_announces_a_frame_over_the_limit()
    {
        await using var host = await CommandHostFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.Server.Port);
        var stream = tcp.GetStream();
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, CommandProtocol.DefaultMaxFrameBytes + 1);

        await stream.WriteAsync(header);
        var read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, read);
    }
}
