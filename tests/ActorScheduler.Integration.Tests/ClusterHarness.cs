using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace ActorScheduler.Integration.Tests;

/// <summary>One process of the cluster (lighthouse or node), its console captured for failure messages.</summary>
public sealed class ClusterProcess(string name, ProcessStartInfo start) : IAsyncDisposable
{
    private readonly StringBuilder _console = new();
    private Process? _process;

    public string Name { get; } = name;

    public bool Running => _process is { HasExited: false };

    /// <summary>The exit code once the process has ended by itself or been stopped; null while it runs.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>Its command host's port (schedctl), once it listens.</summary>
    public int? CommandPort => CommandPorts.Find(Console);

    public string Console
    {
        get { lock (_console) return _console.ToString(); }
    }

    /// <summary>
    /// How it ended, for a failure message: its exit code and everything it wrote (waits until the output readers have
    /// passed on the last lines, which they may still hold when the exit is first seen).
    /// </summary>
    public string Ending()
    {
        _process?.WaitForExit();
        return $"exit code {ExitCode}\n{Console}";
    }

    public void Start()
    {
        lock (_console) _console.AppendLine($"--- {Name} starting at {DateTimeOffset.UtcNow:O}");
        CommandPorts.UseFreePort(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Name}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_console) _console.AppendLine(line);
    }

    /// <summary>kill -9: no leaving, no handoff, no flush.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an operator stops a node: it leaves the cluster and hands its shards off.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
            await kill!.WaitForExitAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new InvalidOperationException($"{Name} did not stop within 60 s of SIGTERM:\n{Console}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>
/// The <see cref="ClusterTopology"/> as real processes on loopback ports, on a PostgreSQL database of its own
/// (created here, dropped at the end): lighthouse, two schedulers, workers of one pool, a gateway.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ClusterProcess> _processes = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "as-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _database = "as_drill_" + Guid.NewGuid().ToString("N")[..12];
    private readonly int _basePort = FreePortRange(16);
    private int _workers;

    public HttpClient Http { get; }
    public int HttpPort { get; } = FreePortRange(1);

    private LocalCluster()
    {
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public ClusterProcess this[string name] => _processes.Single(p => p.Name == name);

    private readonly Dictionary<int, string> _names = new();

    /// <summary>The process listening on cluster port <paramref name="port"/>.</summary>
    public string NameOfPort(int port) => _names.TryGetValue(port, out var name) ? name : throw new ArgumentException($"No process on port {port}.");

    public IReadOnlyList<ClusterProcess> Processes => _processes;

    public string Seed => $"akka.tcp://{ClusterTopology.SystemName}@127.0.0.1:{_basePort + ClusterTopology.Lighthouse.PortOffset}";

    /// <summary>Starts the whole topology and waits until the gateway creates jobs and both workers are known.</summary>
    public static async Task<LocalCluster> StartAsync()
    {
        var cluster = new LocalCluster();
        try
        {
            await Postgres.CreateDatabaseAsync(cluster._database);
            foreach (var spec in ClusterTopology.Nodes)
                for (var replica = 0; replica < spec.Replicas; replica++)
                    cluster.Add(spec, replica);
            cluster._processes[0].Start(); // the lighthouse first: it is the seed
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var process in cluster._processes.Skip(1))
                process.Start();
            await cluster.WaitReadyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync(keepDatabase: false);
            throw;
        }
    }

    private ClusterProcess Add(NodeSpec spec, int replica)
    {
        var name = spec.Replicas > 1 || spec.Pool is not null ? $"{spec.Service}-{replica + 1}" : spec.Service;
        // Replicas step over the offsets of the other services (a 4th worker takes +7, not the gateway's +6).
        var offset = spec.PortOffset;
        for (var i = 0; i < replica; i++)
            do offset++; while (ClusterTopology.Nodes.Any(n => n != spec && n.PortOffset == offset));
        var port = _basePort + offset;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        Directory.CreateDirectory(_root);
        start.ArgumentList.Add(spec.Program == "lighthouse" ? Build.LighthouseDll : Build.NodeDll);
        start.Environment["ACTORSYSTEM"] = ClusterTopology.SystemName;
        start.Environment["CLUSTER_IP"] = "127.0.0.1";
        start.Environment["CLUSTER_PORT"] = port.ToString();
        start.Environment["CLUSTER_SEEDS"] = Seed;
        if (spec.Program == "node")
        {
            start.Environment["ACTORSCHEDULER__ROLES"] = string.Join(",", spec.Roles);
            start.Environment["ACTORSCHEDULER__DATA_DIRECTORY"] = Path.Combine(_root, name);
            if (spec.Database)
            {
                start.Environment["ACTORSCHEDULER__DATABASE__PROVIDER"] = "postgres";
                start.Environment["ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION"] = Postgres.ConnectionString(_database);
            }
            if (spec.Pool is not null)
            {
                start.Environment["ACTORSCHEDULER__WORKER__NAME"] = name;
                start.Environment["ACTORSCHEDULER__WORKER__POOLS"] = spec.Pool;
                // Workers run only what they are told to: the drills' jobs use sh.
                start.Environment["ACTORSCHEDULER__WORKER__SHELL__ALLOW_ANY_COMMAND"] = "false";
                start.Environment["ACTORSCHEDULER__WORKER__SHELL__ALLOWED_COMMANDS"] = "sh";
                _workers++;
            }
            if (spec.Http)
                start.Environment["ACTORSCHEDULER__GATEWAY__PORT"] = HttpPort.ToString();
        }
        var process = new ClusterProcess(name, start);
        _processes.Add(process);
        _names[port] = name;
        return process;
    }

    /// <summary>Starts one more worker of the pool (scale out) and returns it once it is up.</summary>
    public async Task<ClusterProcess> AddWorkerAsync()
    {
        var spec = ClusterTopology.Nodes.Single(n => n.Pool is not null);
        var process = Add(spec, _workers);
        process.Start();
        await Eventually(() => Task.FromResult(this["scheduler-1"].Console.Contains($"Worker {process.Name} is up") &&
                                                this["scheduler-2"].Console.Contains($"Worker {process.Name} is up")),
            $"{process.Name} known to both schedulers");
        return process;
    }

    /// <summary>Starts every process that is not running (after a full stop), the lighthouse first.</summary>
    public async Task RestartAllAsync()
    {
        this["lighthouse"].Start();
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var process in _processes.Skip(1))
            process.Start();
        await WaitReadyAsync();
    }

    private async Task WaitReadyAsync()
    {
        await Eventually(async () =>
        {
            foreach (var process in _processes.Where(p => !p.Running))
                throw new InvalidOperationException($"{process.Name} exited, {process.Ending()}");
            try
            {
                return (await Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the gateway to be ready");
        // Every scheduler knows every worker (dispatch would otherwise hold runs back, which is correct but slow).
        var workers = _processes.Where(p => p.Name.StartsWith("worker-")).Select(p => p.Name).ToList();
        await Eventually(() => Task.FromResult(_processes.Where(p => p.Name.StartsWith("scheduler-") && p.Running)
                .All(s => workers.All(w => s.Console.Contains($"Worker {w} is up")))), "the schedulers to see every worker");
    }

    public async Task<JsonNode?> TryGetJson(string path)
    {
        try
        {
            var response = await Http.GetAsync(path);
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task<HttpResponseMessage> PostJson(string path, string json) =>
        await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>
    /// Polls <paramref name="path"/> until <paramref name="condition"/> holds (errors and 503s during failover
    /// count as "not yet"); the bound is generous because CI machines are slow — it is not a goal.
    /// </summary>
    public async Task<JsonNode> Eventually(string path, Func<JsonNode, bool> condition, string what, int seconds = 150)
    {
        JsonNode? last = null;
        await Eventually(async () =>
        {
            last = await TryGetJson(path);
            return last is not null && condition(last);
        }, what, seconds, () => $"Last {path}: {last?.ToJsonString()}");
        return last!;
    }

    public async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 150, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. {detail?.Invoke()}\n{Consoles()}");
    }

    /// <summary>The tail of every process's console, for failure messages.</summary>
    public string Consoles() => string.Join("\n", _processes.Select(p =>
    {
        var lines = p.Console.Split('\n');
        return $"===== {p.Name} (last 40 lines)\n" + string.Join('\n', lines.TakeLast(40));
    }));

    public ValueTask DisposeAsync() => DisposeAsync(keepDatabase: false);

    private async ValueTask DisposeAsync(bool keepDatabase)
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
        // ACTORSCHEDULER_DRILL_LOGS=dir keeps every process's console (for looking into a drill that passed slowly).
        if (Environment.GetEnvironmentVariable("ACTORSCHEDULER_DRILL_LOGS") is { Length: > 0 } logs)
        {
            Directory.CreateDirectory(logs);
            foreach (var process in _processes)
                await File.WriteAllTextAsync(Path.Combine(logs, $"{_database}-{process.Name}.log"), process.Console);
        }
        Http.Dispose();
        if (!keepDatabase)
            await Postgres.DropDatabaseAsync(_database);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>A base port with <paramref name="count"/> free ports above it (checked now; loopback only).</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(20000, 60000 - count);
            if (Enumerable.Range(start, count).All(IsFree))
                return start;
        }
        throw new InvalidOperationException($"No {count} consecutive free loopback ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>
/// The test run's PostgreSQL: scripts/test starts the local PostgreSQL 15 and creates the role; each drill gets
/// a database of its own. <c>ACTORSCHEDULER_TEST_POSTGRES</c> overrides the server connection.
/// </summary>
public static class Postgres
{
    private static string Server =>
        Environment.GetEnvironmentVariable("ACTORSCHEDULER_TEST_POSTGRES") is { Length: > 0 } server
            ? server
            : "Host=127.0.0.1;Port=5432;Username=actorscheduler;Password=actorscheduler";

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = database }.ToString();

    public static async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({Server.Split(";Password")[0]}): run the tests with scripts/test, which starts it. {e.Message}", e);
        }
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover database named as_drill_* does no harm.
        }
    }
}

/// <summary>Where the built programs are (the test project references both, so they are built first).</summary>
public static class Build
{
    public static string NodeDll { get; } = Locate(Path.Combine("src", "ActorScheduler.Node"), "actor-scheduler.dll");

    public static string LighthouseDll { get; } = Locate("lighthouse", "lighthouse.dll");

    private static string Locate(string project, string dll)
    {
        var path = RepositoryFiles.Path(project, "bin", RepositoryFiles.Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first", path);
    }
}
