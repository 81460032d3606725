using ActorScheduler.Cli.Launch;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Running;

/// <summary>
/// The connection to the command host, opened on first use and opened again after it was lost (the prompt
/// outlives a node restart). <see cref="Welcome"/> is the latest handshake: the palettes to parse with.
/// </summary>
internal sealed class HostConnection(LaunchSettings launch) : IAsyncDisposable
{
    private CommandClient? _client;

    public HostAddress Host => launch.Host;

    public Welcome? Welcome { get; private set; }

    /// <exception cref="CommandHostUnreachableException">Nothing answered in time.</exception>
    /// <exception cref="CommandHostRefusedException">The host refused (token, busy, version).</exception>
    public async Task<CommandClient> ClientAsync()
    {
        if (_client is null)
        {
            _client = await CommandClient.ConnectAsync(launch.Host.Host, launch.Host.Port, launch.Token, launch.Timeout);
            Welcome = _client.Welcome;
        }
        return _client;
    }

    /// <summary>Forgets a connection that failed, so the next command connects anew.</summary>
    public async Task DropAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        _client = null;
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
