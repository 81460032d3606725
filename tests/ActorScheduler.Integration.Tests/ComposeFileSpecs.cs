using System.Text.RegularExpressions;
using ActorScheduler.Lighthouse;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// docker-compose.cluster.yml and the Dockerfile against <see cref="ClusterTopology"/>, read as text and YAML (no
/// Docker engine here). The checks report every mismatch; the specs after the first one break a correct file on
/// purpose to show that each kind of mismatch is caught.
/// </summary>
public sealed partial class ComposeFileSpecs
{
    private static readonly string ComposePath = RepositoryFiles.Path("docker-compose.cluster.yml");
    private static readonly string DockerfilePath = RepositoryFiles.Path("Dockerfile");

    [Fact]
    public void Should_describe_the_cluster_topology_service_by_service()
    {
        Assert.True(File.Exists(ComposePath), $"{ComposePath} is missing");

        var problems = ComposeCheck.Problems(ComposeFile.Load());

        Assert.True(problems.Count == 0, "docker-compose.cluster.yml differs from ClusterTopology:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Should_build_both_programs_into_one_image_that_each_service_runs()
    {
        Assert.True(File.Exists(DockerfilePath), $"{DockerfilePath} is missing");

        var problems = ComposeCheck.DockerfileProblems(File.ReadAllText(DockerfilePath), ComposeFile.Load());

        Assert.True(problems.Count == 0, "Dockerfile:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Should_keep_build_output_and_local_state_out_of_the_docker_build_context()
    {
        var ignored = File.ReadAllLines(RepositoryFiles.Path(".dockerignore")).Select(l => l.Trim().Trim('/').Replace("**/", "")).ToHashSet();

        Assert.Superset(new HashSet<string> { "bin", "obj", "data", ".artifacts" }, ignored);
    }

    [Fact]
    public void Should_report_a_role_mismatch_when_a_service_takes_other_roles()
    {
        var compose = ComposeFile.Load();
        compose.Environment("scheduler-1")["ACTORSCHEDULER__ROLES"] = "scheduler,worker";

        Assert.Contains("scheduler-1: ACTORSCHEDULER__ROLES is 'scheduler,worker', expected 'scheduler'", ComposeCheck.Problems(compose));
    }

    [Fact]
    public void Should_report_a_missing_service_and_one_the_topology_does_not_have()
    {
        var compose = ComposeFile.Load();
        compose.Services["scheduler-3"] = compose.Services["scheduler-2"];
        compose.Services.Remove("scheduler-2");

        var problems = ComposeCheck.Problems(compose);

        Assert.Contains("scheduler-2: no such service", problems);
        Assert.Contains("scheduler-3: a service that ClusterTopology does not list", problems);
    }

    [Fact]
    public void Should_report_a_cluster_port_seed_or_replica_count_that_differs()
    {
        var compose = ComposeFile.Load();
        compose.Environment("gateway")["CLUSTER_PORT"] = "4056";
        compose.Environment("worker")["CLUSTER_SEEDS"] = "akka.ssl.tcp://actor-scheduler@lighthouse:4054";
        ((Dictionary<object, object?>)compose.Services["worker"]["deploy"]!)["replicas"] = "3";

        var problems = ComposeCheck.Problems(compose);

        Assert.Contains("gateway: CLUSTER_PORT is '4056', expected '4059'", problems);
        Assert.Contains("worker: CLUSTER_SEEDS is 'akka.ssl.tcp://actor-scheduler@lighthouse:4054', expected 'akka.ssl.tcp://actor-scheduler@lighthouse:4053'", problems);
        Assert.Contains("worker: deploy.replicas is 3, expected 2", problems);
    }

    [Fact]
    public void Should_report_database_settings_on_a_node_that_has_no_database_and_their_absence_where_it_has_one()
    {
        var compose = ComposeFile.Load();
        compose.Environment("worker")["ACTORSCHEDULER__DATABASE__PROVIDER"] = "postgres";
        compose.Environment("gateway").Remove("ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION");

        var problems = ComposeCheck.Problems(compose);

        Assert.Contains("worker: ACTORSCHEDULER__DATABASE__PROVIDER is set, but the node has no database", problems);
        Assert.Contains("gateway: ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION is missing", problems);
    }

    [Fact]
    public void Should_report_a_gateway_whose_token_is_not_required_from_the_environment()
    {
        var compose = ComposeFile.Load();
        compose.Environment("gateway")["ACTORSCHEDULER__GATEWAY__TOKEN"] = "${ACTORSCHEDULER_TOKEN:-}";

        Assert.Contains("gateway: ACTORSCHEDULER__GATEWAY__TOKEN must be a required variable like ${ACTORSCHEDULER_TOKEN:?message}, got '${ACTORSCHEDULER_TOKEN:-}'",
            ComposeCheck.Problems(compose));
    }

    [Fact]
    public void Should_report_a_Dockerfile_that_does_not_build_the_lighthouse()
    {
        var dockerfile = File.ReadAllText(DockerfilePath).Replace("lighthouse/ActorScheduler.Lighthouse.csproj", "");

        Assert.Contains("the Dockerfile does not name lighthouse/ActorScheduler.Lighthouse.csproj", ComposeCheck.DockerfileProblems(dockerfile, ComposeFile.Load()));
    }

    /// <summary>The compose file as YAML maps and lists (anchors and merge keys resolved), mutable for the specs.</summary>
    private sealed class ComposeFile(Dictionary<object, object?> root)
    {
        public static ComposeFile Load()
        {
            using var reader = new StringReader(File.ReadAllText(ComposePath));
            return new ComposeFile(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(new MergingParser(new Parser(reader))));
        }

        public Dictionary<string, Dictionary<object, object?>> Services { get; } =
            ((Dictionary<object, object?>)root["services"]!).ToDictionary(s => (string)s.Key, s => (Dictionary<object, object?>)s.Value!);

        /// <summary>A service's environment; the file writes it as a map (compose also allows a KEY=VALUE list).</summary>
        public Dictionary<object, object?> Environment(string service) =>
            Services[service].GetValueOrDefault("environment") as Dictionary<object, object?> ?? [];
    }

    private static partial class ComposeCheck
    {
        private const string DatabaseProvider = "ACTORSCHEDULER__DATABASE__PROVIDER";
        private const string DatabaseConnection = "ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION";

        private static readonly Dictionary<string, string> ProgramDlls = new()
        {
            ["lighthouse"] = "/app/lighthouse/lighthouse.dll",
            ["node"] = "/app/node/actor-scheduler.dll",
        };

        public static List<string> Problems(ComposeFile compose)
        {
            var problems = new List<string>();
            var expected = ClusterTopology.Nodes.Select(n => n.Service).Append("postgres").ToList();
            problems.AddRange(expected.Except(compose.Services.Keys).Select(s => $"{s}: no such service"));
            problems.AddRange(compose.Services.Keys.Except(expected).Select(s => $"{s}: a service that ClusterTopology does not list"));
            foreach (var node in ClusterTopology.Nodes.Where(n => compose.Services.ContainsKey(n.Service)))
                CheckNode(compose, node, problems);
            if (compose.Services.TryGetValue("postgres", out var postgres))
                CheckPostgres(postgres, problems);
            return problems;
        }

        public static List<string> DockerfileProblems(string dockerfile, ComposeFile compose)
        {
            var problems = new List<string>();
            foreach (var text in new[]
                     {
                         "FROM mcr.microsoft.com/dotnet/sdk:10.0", "FROM mcr.microsoft.com/dotnet/aspnet:10.0",
                         "src/ActorScheduler.Node/ActorScheduler.Node.csproj", "lighthouse/ActorScheduler.Lighthouse.csproj",
                     })
                if (!dockerfile.Contains(text))
                    problems.Add($"the Dockerfile does not name {text}");
            foreach (var node in ClusterTopology.Nodes.Where(n => compose.Services.ContainsKey(n.Service)))
            {
                var directory = Path.GetDirectoryName(ProgramDlls[node.Program]);
                if (!dockerfile.Contains($"-o {directory}"))
                    problems.Add($"{node.Service} runs {ProgramDlls[node.Program]}, but the Dockerfile publishes nothing to {directory}");
            }
            return problems;
        }

        private static void CheckNode(ComposeFile compose, NodeSpec node, List<string> problems)
        {
            var service = compose.Services[node.Service];
            var environment = compose.Environment(node.Service);
            void Expect(string key, string? value)
            {
                var actual = environment.GetValueOrDefault(key)?.ToString();
                if (actual == value)
                    return;
                problems.Add(value is null ? $"{node.Service}: {key} is set, but should not be"
                    : actual is null ? $"{node.Service}: {key} is missing"
                    : $"{node.Service}: {key} is '{actual}', expected '{value}'");
            }

            var lighthouse = ClusterTopology.Lighthouse;
            Expect("ACTORSYSTEM", ClusterTopology.SystemName);
            Expect("CLUSTER_IP", node.Replicas == 1 ? node.Service : "auto");
            Expect("CLUSTER_PORT", (ClusterTopology.ComposeBasePort + node.PortOffset).ToString());
            Expect("CLUSTER_SEEDS", $"akka.ssl.tcp://{ClusterTopology.SystemName}@{lighthouse.Service}:{ClusterTopology.ComposeBasePort + lighthouse.PortOffset}");
            Expect("CLUSTER_TLS_CERTIFICATE", "/certs/cluster.pfx");
            if (environment.GetValueOrDefault("CLUSTER_TLS_PASSWORD")?.ToString() is not { } password || !RequiredVariable().IsMatch(password))
                problems.Add($"{node.Service}: CLUSTER_TLS_PASSWORD must be a required variable like ${{CLUSTER_TLS_PASSWORD:?message}}");
            if (!(service.GetValueOrDefault("volumes") as List<object> ?? []).Any(v => v.ToString()!.EndsWith(":/certs:ro")))
                problems.Add($"{node.Service}: the cluster certificate is not mounted at /certs (read-only)");
            if (node.Program == "node" && (node.Roles.Contains("scheduler") || node.Roles.Contains("gateway")) &&
                (environment.GetValueOrDefault("ACTORSCHEDULER__GATEWAY__TOKEN")?.ToString() is not { } token || !RequiredVariable().IsMatch(token)))
                problems.Add($"{node.Service}: answers embedded clients on its cluster port, so ACTORSCHEDULER__GATEWAY__TOKEN must be a required variable");
            Expect("ACTORSCHEDULER__WORKER__POOLS", node.Pool);

            var command = service.GetValueOrDefault("command") is List<object> parts ? string.Join(' ', parts) : service.GetValueOrDefault("command")?.ToString();
            if (command?.Contains(ProgramDlls[node.Program]) != true)
                problems.Add($"{node.Service}: command '{command}' does not run {ProgramDlls[node.Program]}");

            CheckRoles(node, environment, problems);
            CheckReplicas(node, service, environment, problems);
            CheckDependencies(node, service, problems);
            CheckDatabase(node, environment, problems);
            CheckHttp(node, service, environment, problems);
        }

        private static void CheckRoles(NodeSpec node, Dictionary<object, object?> environment, List<string> problems)
        {
            var roles = environment.GetValueOrDefault("ACTORSCHEDULER__ROLES")?.ToString();
            if (node.Program == "lighthouse")
            {
                var configured = LighthouseConfig.Embedded().GetStringList("akka.cluster.roles");
                if (roles is not null || !configured.SequenceEqual(node.Roles))
                    problems.Add($"{node.Service}: the lighthouse's role comes from lighthouse.conf ({string.Join(",", configured)}), expected {string.Join(",", node.Roles)} and no ACTORSCHEDULER__ROLES");
                return;
            }
            var actual = roles?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (!actual.Order().SequenceEqual(node.Roles.Order()))
                problems.Add($"{node.Service}: ACTORSCHEDULER__ROLES is '{roles}', expected '{string.Join(",", node.Roles)}'");
            if (node.Roles.Contains("worker") && environment.GetValueOrDefault("ACTORSCHEDULER__WORKER__SHELL__ALLOW_ANY_COMMAND")?.ToString() != "false")
                problems.Add($"{node.Service}: a worker in a container must set ACTORSCHEDULER__WORKER__SHELL__ALLOW_ANY_COMMAND to false");
        }

        /// <summary>Replicas share one definition, so nothing in it may be one replica's own.</summary>
        private static void CheckReplicas(NodeSpec node, Dictionary<object, object?> service, Dictionary<object, object?> environment, List<string> problems)
        {
            var replicas = (service.GetValueOrDefault("deploy") as Dictionary<object, object?>)?.GetValueOrDefault("replicas")?.ToString() ?? "1";
            if (replicas != node.Replicas.ToString())
                problems.Add($"{node.Service}: deploy.replicas is {replicas}, expected {node.Replicas}");
            if (node.Replicas == 1)
                return;
            foreach (var own in new[] { "container_name", "hostname", "ports" }.Where(service.ContainsKey))
                problems.Add($"{node.Service}: a scaled service cannot have {own}");
            if (environment.GetValueOrDefault("ACTORSCHEDULER__WORKER__NAME")?.ToString() is { Length: > 0 } name)
                problems.Add($"{node.Service}: every replica would be worker '{name}'; leave the name empty (the container's host name)");
        }

        private static void CheckDependencies(NodeSpec node, Dictionary<object, object?> service, List<string> problems)
        {
            var dependsOn = service.GetValueOrDefault("depends_on") as Dictionary<object, object?> ?? [];
            string? Condition(string on) => dependsOn.TryGetValue(on, out var d) ? (d as Dictionary<object, object?>)?.GetValueOrDefault("condition")?.ToString() ?? "service_started" : null;
            if (node != ClusterTopology.Lighthouse && Condition(ClusterTopology.Lighthouse.Service) is null)
                problems.Add($"{node.Service}: does not depend on {ClusterTopology.Lighthouse.Service}");
            var postgres = Condition("postgres");
            if (node.Database && postgres != "service_healthy")
                problems.Add($"{node.Service}: must depend on postgres with condition service_healthy (has {postgres ?? "none"})");
            if (!node.Database && postgres is not null)
                problems.Add($"{node.Service}: depends on postgres, but the node has no database");
        }

        private static void CheckDatabase(NodeSpec node, Dictionary<object, object?> environment, List<string> problems)
        {
            foreach (var key in new[] { DatabaseProvider, DatabaseConnection })
            {
                var value = environment.GetValueOrDefault(key)?.ToString();
                if (node.Database && value is null)
                    problems.Add($"{node.Service}: {key} is missing");
                if (!node.Database && value is not null)
                    problems.Add($"{node.Service}: {key} is set, but the node has no database");
            }
            if (!node.Database)
                return;
            if (environment.GetValueOrDefault(DatabaseProvider)?.ToString() is { } provider && provider != "postgres")
                problems.Add($"{node.Service}: {DatabaseProvider} is '{provider}', expected 'postgres'");
            if (environment.GetValueOrDefault(DatabaseConnection)?.ToString() is { } connection &&
                !connection.StartsWith("Host=postgres;Port=5432;Database=actorscheduler;Username=actorscheduler;Password="))
                problems.Add($"{node.Service}: {DatabaseConnection} '{connection}' does not reach the postgres service's database actorscheduler as actorscheduler");
        }

        private static void CheckHttp(NodeSpec node, Dictionary<object, object?> service, Dictionary<object, object?> environment, List<string> problems)
        {
            var ports = (service.GetValueOrDefault("ports") as List<object> ?? []).Select(p => p.ToString()).ToList();
            if (!node.Http)
            {
                if (ports.Count > 0)
                    problems.Add($"{node.Service}: publishes {string.Join(", ", ports)}, but only the gateway serves HTTP");
                return;
            }
            var port = environment.GetValueOrDefault("ACTORSCHEDULER__GATEWAY__PORT")?.ToString();
            if (!ports.Contains($"{ClusterTopology.ComposeHttpPort}:{port}"))
                problems.Add($"{node.Service}: publishes [{string.Join(", ", ports)}], expected {ClusterTopology.ComposeHttpPort}:{port} (ACTORSCHEDULER__GATEWAY__PORT)");
            if (environment.GetValueOrDefault("ACTORSCHEDULER__GATEWAY__HOST")?.ToString() != "0.0.0.0")
                problems.Add($"{node.Service}: ACTORSCHEDULER__GATEWAY__HOST must be 0.0.0.0 to be reached through the published port");
            var token = environment.GetValueOrDefault("ACTORSCHEDULER__GATEWAY__TOKEN")?.ToString();
            if (token is null || !RequiredVariable().IsMatch(token))
                problems.Add($"{node.Service}: ACTORSCHEDULER__GATEWAY__TOKEN must be a required variable like ${{ACTORSCHEDULER_TOKEN:?message}}, got '{token}'");
        }

        private static void CheckPostgres(Dictionary<object, object?> postgres, List<string> problems)
        {
            if (postgres.GetValueOrDefault("image")?.ToString() is not { } image || !image.StartsWith("postgres:15"))
                problems.Add($"postgres: image is '{postgres.GetValueOrDefault("image")}', expected postgres:15");
            if ((postgres.GetValueOrDefault("healthcheck") as Dictionary<object, object?>)?.ContainsKey("test") != true)
                problems.Add("postgres: has no healthcheck test (the database nodes wait for service_healthy)");
            if (postgres.GetValueOrDefault("volumes") is not List<object> { Count: > 0 })
                problems.Add("postgres: has no volume (the journal would not outlive the container)");
            var environment = postgres.GetValueOrDefault("environment") as Dictionary<object, object?> ?? [];
            foreach (var key in new[] { "POSTGRES_USER", "POSTGRES_DB" })
                if (environment.GetValueOrDefault(key)?.ToString() != "actorscheduler")
                    problems.Add($"postgres: {key} must be actorscheduler (the nodes' connection string)");
        }

        /// <summary>Compose's <c>${NAME:?message}</c>: no value, no start.</summary>
        [GeneratedRegex(@"^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]+\}$")]
        private static partial Regex RequiredVariable();
    }
}
