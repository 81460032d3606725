using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// Scripts deployed by a real <c>git push</c> over HTTP to a real node whose API needs a token: the push creates a
/// disabled job (and says so after <c>remote:</c>), enabling and triggering it runs the pushed script on a worker in
/// another process with its own data directory (which fetched the script by hash: it shares no disk with the gateway),
/// and a second push changes what runs.
/// </summary>
public sealed class ScriptDeploySpecs : IDisposable
{
    private const string Token = "deploy-spec-token-0123456789abcdefghij";

    private readonly string _root = Directory.CreateTempSubdirectory("as-deploy-").FullName;

    [Fact]
    public async Task Should_deploy_pushed_scripts_as_disabled_jobs_that_run_the_pushed_revision_on_a_worker_that_fetched_it()
    {
        var clusterPort = FreePort();
        var seed = $"akka.tcp://actor-scheduler@127.0.0.1:{clusterPort}";
        await using var node = await NodeProcess.StartAsync(Path.Combine(_root, "gateway"), environment: new Dictionary<string, string>
        {
            ["ACTORSCHEDULER__Gateway__Token"] = Token, ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = clusterPort.ToString(), ["CLUSTER_SEEDS"] = seed,
        });
        var anonymous = await node.Http.GetAsync("/git/scripts.git/info/refs?service=git-receive-pack");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        _gatewayPort = node.Port;
        using var worker = StartWorker(seed);

        var work = Path.Combine(_root, "work");
        Directory.CreateDirectory(work);
        await Git(work, "init", "--quiet", "--initial-branch=main");
        // The board file sends the scripts' jobs to the worker of the other process, and only there.
        await File.WriteAllTextAsync(Path.Combine(work, "board.yaml"), "board: deployed\ndefaults: { worker: remote-worker, strictWorker: true }\njobs: []\n");
        var first = await WriteScript(work, "jobs/hello.sh", "echo \"hello v1 from $SCHEDULER_JOB_ID\"");
        await WriteScript(work, "jobs/bad name.sh", "echo never");
        var pushed = await Push(work, "first");

        Assert.Contains("remote: ", pushed);
        Assert.Contains("created hello", pushed);
        Assert.Contains("(disabled", pushed);
        Assert.Contains("refused jobs/bad name.sh", pushed);
        var job = await node.GetJson("/api/v1/jobs/hello");
        Assert.False(job["enabled"]!.GetValue<bool>(), "a pushed script's new job waits to be enabled");
        Assert.Equal("deployed", job["definition"]!["board"]!.GetValue<string>());
        Assert.Equal(first, job["definition"]!["run"]!["script"]!["sha256"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await node.PostJson("/api/v1/jobs/hello/enable", "{}")).StatusCode);
        var run = await TriggerAndWait(node);
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal("remote-worker", run["worker"]!.GetValue<string>());
        Assert.Contains("hello v1 from hello", run["output"]!.GetValue<string>());
        Assert.True(Directory.Exists(Path.Combine(worker.DataDirectory, "script-cache", first)),
            $"the worker ran the script from its own cache, fetched by hash:\n{worker.Console}");

        var second = await WriteScript(work, "jobs/hello.sh", "echo \"hello v2 from $SCHEDULER_JOB_ID\"");
        var again = await Push(work, "second");
        Assert.Contains("updated hello", again);
        job = await node.GetJson("/api/v1/jobs/hello");
        Assert.True(job["enabled"]!.GetValue<bool>(), "a push keeps the job's enabled state");
        Assert.Equal(second, job["definition"]!["run"]!["script"]!["sha256"]!.GetValue<string>());
        run = await TriggerAndWait(node);
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Contains("hello v2 from hello", run["output"]!.GetValue<string>());
        Assert.DoesNotContain("hello v1", run["output"]!.GetValue<string>());
    }

    private static async Task<JsonNode> TriggerAndWait(NodeProcess node)
    {
        var triggered = await node.PostJson("/api/v1/jobs/hello/trigger", "{}");
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var runId = JsonNode.Parse(await triggered.Content.ReadAsStringAsync())!["runId"]!.GetValue<string>();
        return await node.Eventually($"/api/v1/runs/{runId}", r => r["status"]!.GetValue<string>() is not ("pending" or "running"), "the deployed script's run to end");
    }

    /// <returns>The script's SHA-256.</returns>
    private static async Task<string> WriteScript(string work, string path, string body)
    {
        var file = Path.Combine(work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var content = $"#!/bin/sh\n{body}\n";
        await File.WriteAllTextAsync(file, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <returns>What git printed (the hook's report arrives on standard error, after "remote:").</returns>
    private async Task<string> Push(string work, string message)
    {
        await Git(work, "add", "-A");
        await Git(work, "-c", "user.name=spec", "-c", "user.email=spec@example.com", "commit", "--quiet", "-m", message);
        var url = $"http://deployer:{Token}@127.0.0.1:{_gatewayPort}/git/scripts.git";
        return await Git(work, "push", url, "main");
    }

    private int _gatewayPort;

    private async Task<string> Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments.Take(2))} failed ({process.ExitCode}):\n{text}");
        return text;
    }

    private WorkerProcess StartWorker(string seed) => new(Path.Combine(_root, "worker"), seed);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A worker-only node (no HTTP, no database) that runs nothing but deployed scripts: any other command is off.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _console = new();

        public WorkerProcess(string dataDirectory, string seed)
        {
            DataDirectory = dataDirectory;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Build.NodeDll)! };
            foreach (var argument in new[] { Build.NodeDll, "--data", dataDirectory, "--roles", "worker", "--name", "remote-worker" })
                start.ArgumentList.Add(argument);
            start.Environment["CLUSTER_IP"] = "127.0.0.1";
            start.Environment["CLUSTER_PORT"] = FreePort().ToString();
            start.Environment["CLUSTER_SEEDS"] = seed;
            start.Environment["ACTORSCHEDULER__WORKER__SHELL__ALLOW_ANY_COMMAND"] = "false";
            start.Environment["ACTORSCHEDULER__WORKER__SHELL__ALLOW_DEPLOYED_SCRIPTS"] = "true";
            CommandPorts.UseFreePort(start);
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string DataDirectory { get; }

        public string Console
        {
            get
            {
                lock (_console)
                    return _console.ToString();
            }
        }

        private void Append(string? line)
        {
            if (line is not null)
                lock (_console)
                    _console.AppendLine(line);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
