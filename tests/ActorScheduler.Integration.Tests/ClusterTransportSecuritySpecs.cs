using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ActorScheduler.Client;
using ActorScheduler.Client.Transport;
using Akka.Actor;
using Akka.Configuration;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// The cluster port is a door like the HTTP port. Before, any process that reached it could join as a worker (and
/// receive every job's data) or create and run jobs through the client receptionist; now a lighthouse and a node
/// started with the cluster's certificate (real processes, mutual TLS on loopback) admit only peers that present
/// it, and a node refuses to start on an address other machines reach without TLS.
/// </summary>
public sealed class ClusterTransportSecuritySpecs : IAsyncLifetime
{
    private const string System = "actor-scheduler";
    private const string Token = "cluster-security-specs-token-0123456789";

    private readonly string _root = Directory.CreateTempSubdirectory("as-tls-").FullName;
    private readonly List<ClusterProcess> _processes = [];
    private string _clusterCertificate = "";
    private string _strangerCertificate = "";

    public Task InitializeAsync()
    {
        _clusterCertificate = TestCertificates.Write(Path.Combine(_root, "cluster.pfx"), "cluster-password");
        _strangerCertificate = TestCertificates.Write(Path.Combine(_root, "stranger.pfx"), "stranger-password");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
    }

    [Fact]
    public async Task Should_admit_only_peers_that_present_the_cluster_certificate()
    {
        var (lighthousePort, nodePort, httpPort) = (FreePort(), FreePort(), FreePort());
        var seed = ClusterTls.Address(tls: true, System, "127.0.0.1", lighthousePort);
        var lighthouse = Start("lighthouse", Build.LighthouseDll, lighthousePort, seed);
        var node = Start("node", Build.NodeDll, nodePort, seed, new()
        {
            ["ACTORSCHEDULER__DATA_DIRECTORY"] = Path.Combine(_root, "node"),
            ["ACTORSCHEDULER__GATEWAY__PORT"] = httpPort.ToString(),
            ["ACTORSCHEDULER__GATEWAY__TOKEN"] = Token,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var members = await Eventually(async () => await Members(http), m => m.Count == 2, "the node and the lighthouse to be up over TLS", node);
        Assert.All(members, address => Assert.StartsWith("akka.ssl.tcp://", address));

        // A fake worker with a certificate of its own, and one with none, try to join through the node.
        var nodeAddress = ClusterTls.Address(tls: true, System, "127.0.0.1", nodePort);
        using var forger = StartIntruder(new ClusterTls(_strangerCertificate, "stranger-password", []), nodeAddress);
        using var plain = StartIntruder(null, nodeAddress.Replace("akka.ssl.tcp", "akka.tcp"));
        await Eventually(() => Task.FromResult<string?>(node.Console), c => c.Contains("Refused a cluster connection"),
            "the node to refuse the forged certificate", node);

        // An embedded client without the certificate is not served; with it (and the token) it is.
        await using (var stranger = new ActorSchedulerClient(Options(nodeAddress, new ClusterTls(_strangerCertificate, "stranger-password", []))))
            await Assert.ThrowsAsync<SchedulerUnavailableException>(() => stranger.PingAsync());
        await using (var member = new ActorSchedulerClient(Options(nodeAddress, new ClusterTls(_clusterCertificate, "cluster-password", []))))
            Assert.Equal(nodeAddress, await member.PingAsync());

        var after = await Members(http);
        Assert.True(after?.Count == 2, $"only the lighthouse and the node may be members, but the node sees: {string.Join(", ", after ?? [])}");
        Assert.True(lighthouse.Running, lighthouse.Console);
    }

    [Theory]
    [InlineData("node")]
    [InlineData("lighthouse")]
    public async Task Should_refuse_to_start_without_tls_on_an_address_other_machines_reach(string program)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        start.ArgumentList.Add(program == "node" ? Build.NodeDll : Build.LighthouseDll);
        start.Environment["CLUSTER_IP"] = "0.0.0.0";
        start.Environment["CLUSTER_PORT"] = FreePort().ToString();
        start.Environment["ACTORSCHEDULER__DATA_DIRECTORY"] = Path.Combine(_root, "refused");

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}; stderr: {error}");
        Assert.Contains("TLS", error);
        Assert.Contains(program == "node" ? "allow-insecure" : "CLUSTER_ALLOW_INSECURE", error);
    }

    private ActorSchedulerClientOptions Options(string contact, ClusterTls tls) => new()
    {
        ContactPoints = [contact],
        Tls = tls,
        Token = Token,
        RequestTimeout = TimeSpan.FromSeconds(15),
    };

    private ClusterProcess Start(string name, string dll, int port, string seed, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        start.ArgumentList.Add(dll);
        start.Environment["ACTORSYSTEM"] = System;
        start.Environment["CLUSTER_IP"] = "127.0.0.1";
        start.Environment["CLUSTER_PORT"] = port.ToString();
        start.Environment["CLUSTER_SEEDS"] = seed;
        start.Environment["CLUSTER_TLS_CERTIFICATE"] = _clusterCertificate;
        start.Environment["CLUSTER_TLS_PASSWORD"] = "cluster-password";
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        var process = new ClusterProcess(name, start);
        _processes.Add(process);
        process.Start();
        return process;
    }

    /// <summary>An actor system that tries to join the cluster as a worker would.</summary>
    private static ActorSystem StartIntruder(ClusterTls? tls, string seed)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = ERROR
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.roles = ["worker", "worker-name:intruder"]
            akka.cluster.seed-nodes = ["{{seed}}"]
            """);
        var bootstrap = BootstrapSetup.Create().WithConfig(tls is null ? config : ClusterTls.Hocon.WithFallback(config));
        return ActorSystem.Create(System, tls is null ? Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap) : bootstrap.And(tls.Setup()));
    }

    private static async Task<List<string>?> Members(HttpClient http)
    {
        try
        {
            var json = JsonNode.Parse(await http.GetStringAsync("/api/v1/cluster/members"));
            return json!["items"]!.AsArray().Select(m => m!["address"]!.GetValue<string>()).ToList();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, Func<T, bool> condition, string what, ClusterProcess watched) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (last is not null && condition(last))
                return last;
            if (!watched.Running)
                break;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; {watched.Name} said:\n{watched.Console}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Self-signed certificates for the cluster transport, made the way scripts/dev-cert makes them.</summary>
public static class TestCertificates
{
    public static string Write(string path, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Path.GetFileNameWithoutExtension(path)}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
