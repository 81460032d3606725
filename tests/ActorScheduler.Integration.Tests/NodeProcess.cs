using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// The scheduler node as a separate OS process (the README's run command, on a temporary data directory and a
/// free loopback port), with its console captured for the failure message.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _console = new();

    public HttpClient Http { get; }
    public string DataDirectory { get; }
    public int Port { get; }

    private NodeProcess(Process process, string dataDirectory, int port)
    {
        (_process, DataDirectory, Port) = (process, dataDirectory, port);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The node's process id (also through a launcher that execs it).</summary>
    public int Pid => _process.Id;

    /// <summary>Its command host's port (schedctl), once it listens.</summary>
    public int? CommandPort => CommandPorts.Find(Console);

    public string Console
    {
        get { lock (_console) return _console.ToString(); }
    }

    /// <param name="launcher">A command the node is started through (its arguments end with <c>dotnet actor-scheduler.dll …</c>),
    /// e.g. <c>unshare</c> to give it a file system of its own; it must exec the node, so that <see cref="Pid"/> is the node's.</param>
    public static async Task<NodeProcess> StartAsync(string? dataDirectory = null, int? port = null, IDictionary<string, string>? environment = null,
        IReadOnlyList<string>? launcher = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "as-node-" + Guid.NewGuid().ToString("N"));
        port ??= FreePort();
        var start = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(NodeDll)!,
        };
        foreach (var arg in launcher is { Count: > 0 } ? launcher.Skip(1).Append("dotnet") : [])
            start.ArgumentList.Add(arg);
        foreach (var arg in new[] { NodeDll, "--data", dataDirectory, "--port", port.Value.ToString(), "--name", "it-worker" })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        CommandPorts.UseFreePort(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
        var node = new NodeProcess(process, dataDirectory, port.Value);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitReadyAsync();
        return node;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_console) _console.AppendLine(line);
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The node exited with code {_process.ExitCode}:\n{Console}");
            try
            {
                if ((await Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The node did not become ready:\n{Console}");
    }

    /// <summary>kill -9: no shutdown hooks, no flush.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<JsonNode> GetJson(string path)
    {
        var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path} → {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<HttpResponseMessage> PostJson(string path, string json) =>
        await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Polls until the condition holds; the bound is generous because CI machines are slow, not a goal.</summary>
    public async Task<JsonNode> Eventually(string path, Func<JsonNode, bool> condition, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetJson(path);
            if (condition(last))
                return last;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. Last {path}: {last?.ToJsonString()}\nNode console:\n{Console}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        Http.Dispose();
        _process.Dispose();
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string NodeDll => Build.NodeDll;
}
