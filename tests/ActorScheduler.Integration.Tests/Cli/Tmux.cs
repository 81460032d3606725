using System.Diagnostics;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>
/// A program in a tmux pane on a private tmux server, driven as a person would: keys sent with send-keys, the
/// screen read with capture-pane.
/// </summary>
public sealed class Tmux : IAsyncDisposable
{
    private readonly string _socket = "as-test-" + Guid.NewGuid().ToString("N")[..8];
    private const string Session = "schedctl";

    private Tmux()
    {
    }

    public static async Task<Tmux> StartAsync(string command, int width = 160, int height = 50)
    {
        var tmux = new Tmux();
        await tmux.RunAsync("new-session", "-d", "-s", Session, "-x", width.ToString(), "-y", height.ToString(), command);
        return tmux;
    }

    /// <summary>Keys as tmux names them: literal text, or "Tab", "Enter", "C-c".</summary>
    public Task SendKeysAsync(params string[] keys) => RunAsync(["send-keys", "-t", Session, .. keys]);

    /// <summary>Text typed literally (no key names).</summary>
    public Task TypeAsync(string text) => RunAsync("send-keys", "-t", Session, "-l", "--", text);

    public Task<string> CaptureAsync() => RunAsync("capture-pane", "-p", "-J", "-t", Session, "-S", "-200");

    /// <summary>Polls the screen until <paramref name="condition"/> holds; fails with the screen after a generous bound.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = await CaptureAsync();
            if (condition(screen))
                return screen;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; the screen:\n{screen}");
    }

    public Task<string> WaitForAsync(string text, int seconds = 90) => WaitForAsync(screen => screen.Contains(text), $"'{text}'", seconds);

    private async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tmux");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // the server ended with its last pane
        }
    }
}
