using System.Diagnostics;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Lighthouse;
using Akka.Actor;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorScheduler.Integration.Tests;

/// <summary>The seed node: its environment variables, its configuration next to the nodes', and the program's exits.</summary>
public sealed class LighthouseSpecs
{
    private static LighthouseSettings Parse(Dictionary<string, string?> environment, string? autoAddress = "10.1.2.3") =>
        LighthouseSettings.FromEnvironment(environment, () => autoAddress);

    [Fact]
    public void Should_be_its_own_seed_on_loopback_port_4053_when_the_environment_sets_nothing()
    {
        var settings = Parse([]);

        Assert.Equal(new LighthouseSettings("actor-scheduler", "127.0.0.1", 4053, settings.Seeds, Cmd: settings.Cmd), settings);
        Assert.Equal(["akka.tcp://actor-scheduler@127.0.0.1:4053"], settings.Seeds);
        Assert.Equal((true, "127.0.0.1", 9110, (string?)null), (settings.Cmd!.Enabled, settings.Cmd.Host, settings.Cmd.Port, settings.Cmd.Token));
    }

    [Fact]
    public void Should_refuse_a_command_host_other_machines_reach_without_a_token_file()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(new() { ["CMD_HOST"] = "0.0.0.0" }));
        var port = Assert.Throws<ArgumentException>(() => Parse(new() { ["CMD_PORT"] = "99999" }));

        Assert.Contains("CMD_TOKEN_FILE", error.Message);
        Assert.Contains("CMD_PORT", port.Message);
    }

    [Fact]
    public void Should_read_the_command_hosts_token_from_its_file_and_turn_it_off_on_request()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, new string('t', 40) + "\n");

        var open = Parse(new() { ["CMD_HOST"] = "0.0.0.0", ["CMD_TOKEN_FILE"] = file, ["CMD_PORT"] = "9200" });
        var off = Parse(new() { ["CMD_ENABLED"] = "off" });

        Assert.Equal((new string('t', 40), 9200), (open.Cmd!.Token, open.Cmd.Port));
        Assert.False(off.Cmd!.Enabled);
    }

    [Fact]
    public void Should_resolve_auto_to_the_hosts_network_address_and_seed_itself_there()
    {
        var settings = Parse(new() { ["CLUSTER_IP"] = "auto", ["CLUSTER_PORT"] = "5000", ["ACTORSYSTEM"] = "drill", ["CLUSTER_ALLOW_INSECURE"] = "on" });

        Assert.Equal("10.1.2.3", settings.Hostname);
        Assert.Equal(["akka.tcp://drill@10.1.2.3:5000"], settings.Seeds);
    }

    [Fact]
    public void Should_refuse_an_address_other_machines_reach_without_tls_unless_allowed()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(new() { ["CLUSTER_IP"] = "10.0.0.7" }));

        Assert.Contains("CLUSTER_TLS_CERTIFICATE", error.Message);
        Assert.Contains("CLUSTER_ALLOW_INSECURE", error.Message);
    }

    [Fact]
    public void Should_seed_itself_at_an_akka_ssl_address_and_refuse_plain_seeds_when_it_uses_tls()
    {
        var environment = new Dictionary<string, string?> { ["CLUSTER_IP"] = "10.0.0.7", ["CLUSTER_TLS_CERTIFICATE"] = "/etc/cluster.pfx" };

        var settings = Parse(environment);
        var plainSeed = Assert.Throws<ArgumentException>(() =>
            Parse(new(environment) { ["CLUSTER_SEEDS"] = "akka.tcp://actor-scheduler@10.0.0.8:4053" }));

        Assert.Equal(["akka.ssl.tcp://actor-scheduler@10.0.0.7:4053"], settings.Seeds);
        Assert.Contains("akka.ssl.tcp://", plainSeed.Message);
    }

    [Fact]
    public void Should_refuse_auto_when_the_host_has_no_network_address()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(new() { ["CLUSTER_IP"] = "auto" }, autoAddress: null));

        Assert.StartsWith("CLUSTER_IP=auto", error.Message);
    }

    [Fact]
    public void Should_take_comma_separated_seeds_trimmed_and_skip_empty_entries()
    {
        var settings = Parse(new()
        {
            ["CLUSTER_IP"] = "lighthouse-2",
            ["CLUSTER_ALLOW_INSECURE"] = "on",
            ["CLUSTER_SEEDS"] = " akka.tcp://actor-scheduler@lighthouse-1:4053, ,akka.tcp://actor-scheduler@lighthouse-2:4053 ",
        });

        Assert.Equal(["akka.tcp://actor-scheduler@lighthouse-1:4053", "akka.tcp://actor-scheduler@lighthouse-2:4053"], settings.Seeds);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("4053x")]
    [InlineData("0")]
    [InlineData("65536")]
    public void Should_refuse_a_cluster_port_that_is_not_a_port_number(string port)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(new() { ["CLUSTER_PORT"] = port }));

        Assert.Equal($"CLUSTER_PORT must be a port number from 1 to 65535; got '{port}'.", error.Message);
    }

    [Theory]
    [InlineData("lighthouse:4053", "is not a cluster address")]
    [InlineData("akka.tcp://actor-scheduler@lighthouse", "is not a cluster address")]
    [InlineData("akka://actor-scheduler@lighthouse:4053", "is not a cluster address")]
    [InlineData("akka.tcp://other-system@lighthouse:4053", "names actor system 'other-system'")]
    public void Should_refuse_a_seed_that_is_not_an_akka_tcp_address_of_its_own_system(string seed, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(new() { ["CLUSTER_SEEDS"] = $"akka.tcp://actor-scheduler@ok:4053,{seed}" }));

        Assert.StartsWith($"CLUSTER_SEEDS: '{seed}' ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("actor scheduler")]
    [InlineData("-scheduler")]
    [InlineData("akka://x")]
    public void Should_refuse_an_actor_system_name_that_akka_would_reject(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(new() { ["ACTORSYSTEM"] = name }));

        Assert.StartsWith("ACTORSYSTEM must", error.Message);
    }

    [Fact]
    public void Should_carry_the_address_the_seeds_and_the_lighthouse_role_into_its_configuration()
    {
        var config = LighthouseConfig.For(Parse(new()
        {
            ["CLUSTER_IP"] = "lighthouse", ["CLUSTER_PORT"] = "4153", ["CLUSTER_SEEDS"] = "akka.tcp://actor-scheduler@lighthouse:4153",
            ["CLUSTER_ALLOW_INSECURE"] = "on",
        }));

        Assert.Equal("lighthouse", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4153, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://actor-scheduler@lighthouse:4153"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["lighthouse"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
    }

    /// <summary>
    /// Members that disagree on downing can each keep their own side of a partition, and the lighthouse is a member
    /// that counts in keep-majority. Both sides fall back to Akka.Cluster's defaults, as the running systems do.
    /// </summary>
    [Theory]
    [InlineData("akka.cluster.downing-provider-class")]
    [InlineData("akka.cluster.split-brain-resolver")]
    [InlineData("akka.cluster.failure-detector")]
    [InlineData("akka.cluster.min-nr-of-members")]
    [InlineData("akka.cluster.down-removal-margin")]
    [InlineData("akka.cluster.gossip-interval")]
    [InlineData("akka.cluster.leader-actions-interval")]
    [InlineData("akka.cluster.unreachable-nodes-reaper-interval")]
    [InlineData("akka.cluster.use-dispatcher")]
    public void Should_decide_downing_and_failure_detection_exactly_like_the_nodes(string path)
    {
        var defaults = ConfigurationFactory.FromResource<Akka.Cluster.Cluster>("Akka.Cluster.Configuration.Cluster.conf");
        var nodes = Flatten(EngineConfig.Load().WithFallback(defaults), path);
        var lighthouse = Flatten(LighthouseConfig.Embedded().WithFallback(defaults), path);

        Assert.NotEmpty(nodes);
        Assert.Equal(nodes, lighthouse);
    }

    [Fact]
    public void Should_resolve_splits_with_keep_majority()
    {
        var config = LighthouseConfig.Embedded();

        Assert.Equal("Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
    }

    [Fact]
    public async Task Should_come_up_and_exit_0_after_leaving_the_cluster_on_SIGTERM()
    {
        var port = FreePort();
        using var lighthouse = LighthouseProcess.Start(new() { ["CLUSTER_PORT"] = port.ToString() });

        var up = await lighthouse.Up;
        Process.Start("kill", ["-TERM", lighthouse.Id.ToString()])!.WaitForExit();
        var exitCode = await lighthouse.ExitCode;

        Assert.Equal($"lighthouse up at akka.tcp://actor-scheduler@127.0.0.1:{port}, seeds: akka.tcp://actor-scheduler@127.0.0.1:{port}", up);
        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{lighthouse.Output}");
        Assert.Contains("Exiting completed", lighthouse.Output);
    }

    /// <summary>A removed lighthouse must not look like a clean stop: its supervisor should start it again.</summary>
    [Fact]
    public async Task Should_exit_1_when_the_cluster_downs_it()
    {
        var port = FreePort();
        using var lighthouse = LighthouseProcess.Start(new() { ["CLUSTER_PORT"] = port.ToString() });
        await lighthouse.Up;
        var seed = $"akka.tcp://actor-scheduler@127.0.0.1:{port}";
        var peer = ActorSystem.Create("actor-scheduler", LighthouseConfig.For(LighthouseSettings.FromEnvironment(
            new Dictionary<string, string?> { ["CLUSTER_PORT"] = FreePort().ToString(), ["CLUSTER_SEEDS"] = seed })));
        try
        {
            var joined = new TaskCompletionSource();
            Akka.Cluster.Cluster.Get(peer).RegisterOnMemberUp(() => joined.TrySetResult());
            await joined.Task.WaitAsync(TimeSpan.FromSeconds(60));

            Akka.Cluster.Cluster.Get(peer).Down(Address.Parse(seed));
            var exitCode = await lighthouse.ExitCode;

            Assert.True(exitCode == 1, $"exit code {exitCode}; output:\n{lighthouse.Output}");
            Assert.Contains("lighthouse: the cluster removed this node", lighthouse.Output);
        }
        finally
        {
            await peer.Terminate();
        }
    }

    [Fact]
    public async Task Should_exit_2_with_one_line_on_stderr_when_the_port_is_not_a_number()
    {
        using var lighthouse = LighthouseProcess.Start(new() { ["CLUSTER_PORT"] = "forty" });

        Assert.Equal(2, await lighthouse.ExitCode);
        Assert.Equal(["lighthouse: CLUSTER_PORT must be a port number from 1 to 65535; got 'forty'."], lighthouse.Errors);
        Assert.Equal("lighthouse: CLUSTER_PORT must be a port number from 1 to 65535; got 'forty'.\n", lighthouse.Output);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The built lighthouse program (lighthouse/bin/…/lighthouse.dll) with its console captured.</summary>
    private sealed class LighthouseProcess : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // slow CI machines, not a goal
        private readonly Process _process;
        private readonly List<string> _output = [];
        private readonly List<string> _errors = [];
        private readonly TaskCompletionSource<string> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private LighthouseProcess(Process process) => _process = process;

        public int Id => _process.Id;

        /// <summary>The "lighthouse up at …" line.</summary>
        public Task<string> Up => _up.Task.WaitAsync(Patience);

        public Task<int> ExitCode => WaitForExit();

        /// <summary>Everything it printed, stdout and stderr, one line each.</summary>
        public string Output
        {
            get { lock (_output) return string.Concat(_output.Select(l => l + "\n")); }
        }

        public IReadOnlyList<string> Errors
        {
            get { lock (_output) return [.. _errors]; }
        }

        public static LighthouseProcess Start(Dictionary<string, string> environment)
        {
            var dll = RepositoryFiles.Path("lighthouse", "bin", RepositoryFiles.Configuration, "net10.0", "lighthouse.dll");
            var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var name in new[] { "ACTORSYSTEM", "CLUSTER_IP", "CLUSTER_PORT", "CLUSTER_SEEDS" })
                start.Environment.Remove(name);
            foreach (var (name, value) in environment)
                start.Environment[name] = value;
            CommandPorts.UseFreePort(start);
            var lighthouse = new LighthouseProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the lighthouse"));
            lighthouse._process.OutputDataReceived += (_, e) => lighthouse.Append(e.Data, isError: false);
            lighthouse._process.ErrorDataReceived += (_, e) => lighthouse.Append(e.Data, isError: true);
            lighthouse._process.BeginOutputReadLine();
            lighthouse._process.BeginErrorReadLine();
            return lighthouse;
        }

        private void Append(string? line, bool isError)
        {
            if (line is null)
                return;
            lock (_output)
            {
                _output.Add(line);
                if (isError)
                    _errors.Add(line);
            }
            if (line.StartsWith("lighthouse up at "))
                _up.TrySetResult(line);
        }

        private async Task<int> WaitForExit()
        {
            await _process.WaitForExitAsync().WaitAsync(Patience);
            _process.WaitForExit(); // drains the redirected output, so Output is complete
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }

    /// <summary>Every leaf under <paramref name="path"/> as "key = value", sorted, so two configs compare by content.</summary>
    private static List<string> Flatten(Config config, string path)
    {
        var leaves = new List<string>();
        void Walk(string prefix, HoconValue value)
        {
            if (value.IsObject())
                foreach (var (name, child) in value.GetObject().Items)
                    Walk($"{prefix}.{name}", child);
            else
                leaves.Add($"{prefix} = {value}");
        }
        if (config.HasPath(path))
            Walk(path, config.GetValue(path));
        leaves.Sort(StringComparer.Ordinal);
        return leaves;
    }
}
