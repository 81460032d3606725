using System.Collections.Concurrent;
using System.Net;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Http;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>
/// A job cannot make the worker call what its destination policy refuses: not through a redirect, a name that
/// resolves to a refused address, nor a metadata host. Linux routes all of 127.0.0.0/8 to lo, so a server on
/// 127.0.0.2 stands for an allowed destination and one on 127.0.0.1 for the worker's own services.
/// </summary>
public sealed class HttpDestinationSpecs
{
    private const string LoopbackRule =
        "a loopback address; this worker allows those only with actor-scheduler.worker.http.allow-loopback or a matching allowed-networks entry";

    private static readonly HttpDestinationPolicy OnlyTheOutsideServer = new() { AllowedNetworks = ["127.0.0.2/32"] };

    private static Task<RunResult> Run(HttpRunner runner, string url, Dictionary<string, string>? headers = null) =>
        runner.RunAsync(Runs.Request(new RunSpec { Http = new HttpRunSpec { Url = url, Headers = headers } }), NullRunObserver.Instance, CancellationToken.None)
            .Within();

    /// <summary>The test server answers only its own host; a name from <see cref="FakeDns"/> must say which that is.</summary>
    private static Dictionary<string, string> HostOf(LoopbackServer server) => new() { ["Host"] = server.Url.Authority };

    [Fact]
    public async Task Should_fail_naming_the_hop_and_the_rule_when_a_redirect_points_at_the_worker_itself()
    {
        await using var members = LoopbackServer.Answering(200, """{"members":["secret-node"]}""");
        var target = members.Url + "api/v1/cluster/members";
        await using var outside = LoopbackServer.Redirecting(302, target, address: "127.0.0.2");
        using var runner = new HttpRunner(OnlyTheOutsideServer);

        var result = await Run(runner, outside.Url.ToString());

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.Equal($"redirect 1 to {target} refused: 127.0.0.1 is {LoopbackRule}", result.Error);
        Assert.True(members.Received.IsEmpty, "the refused destination must never be called");
        Assert.DoesNotContain("secret-node", result.Output);
    }

    [Fact]
    public async Task Should_follow_the_redirect_when_its_destination_is_allowed()
    {
        await using var target = LoopbackServer.Answering(200, "arrived", address: "127.0.0.2");
        await using var outside = LoopbackServer.Redirecting(302, target.Url + "next", address: "127.0.0.2");
        using var runner = new HttpRunner(OnlyTheOutsideServer);

        var result = await Run(runner, outside.Url.ToString());

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("arrived", result.Output);
    }

    [Fact]
    public async Task Should_fail_before_connecting_when_the_url_is_a_refused_address()
    {
        await using var members = LoopbackServer.Answering(200, "members");
        using var runner = new HttpRunner(OnlyTheOutsideServer);

        var result = await Run(runner, members.Url.ToString());

        Assert.Equal($"destination {members.Url} refused: 127.0.0.1 is {LoopbackRule}", result.Error);
        Assert.True(members.Received.IsEmpty);
    }

    [Fact]
    public async Task Should_check_the_address_connected_when_the_url_names_a_host()
    {
        await using var members = LoopbackServer.Answering(200, "members");
        var url = $"http://localhost:{members.Url.Port}/";
        using var runner = new HttpRunner(OnlyTheOutsideServer);

        var result = await Run(runner, url);

        Assert.Equal(RunStatus.Failed, result.Outcome);
        Assert.StartsWith($"destination {url} refused: localhost resolves to ", result.Error);
        Assert.Contains(LoopbackRule, result.Error);
        Assert.True(members.Received.IsEmpty);
    }

    [Fact]
    public async Task Should_refuse_the_second_answer_when_a_name_rebinds_to_a_refused_address()
    {
        await using var outside = LoopbackServer.Answering(200, "outside", address: "127.0.0.2");
        await using var members = LoopbackServer.Answering(200, "members");
        var dns = new FakeDns { ["rebind.test"] = [IPAddress.Parse("127.0.0.2")] };
        using var runner = new HttpRunner(OnlyTheOutsideServer, null, dns.Resolve);

        var first = await Run(runner, $"http://rebind.test:{outside.Url.Port}/", HostOf(outside));
        dns["rebind.test"] = [IPAddress.Parse("127.0.0.1")];
        var second = await Run(runner, $"http://rebind.test:{members.Url.Port}/", HostOf(members));

        Assert.Equal(RunStatus.Succeeded, first.Outcome);
        Assert.Equal($"destination http://rebind.test:{members.Url.Port}/ refused: rebind.test resolves to 127.0.0.1, {LoopbackRule}", second.Error);
        Assert.True(members.Received.IsEmpty);
    }

    [Fact]
    public async Task Should_connect_only_to_an_allowed_address_when_a_name_resolves_to_several()
    {
        await using var outside = LoopbackServer.Answering(200, "outside", address: "127.0.0.2");
        var dns = new FakeDns { ["mixed.test"] = [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")] };
        using var runner = new HttpRunner(OnlyTheOutsideServer, null, dns.Resolve);

        var result = await Run(runner, $"http://mixed.test:{outside.Url.Port}/", HostOf(outside));

        Assert.Equal(RunStatus.Succeeded, result.Outcome);
        Assert.Equal("outside", result.Output);
    }

    [Theory]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a cloud metadata host name, never allowed")]
    [InlineData("http://metadata/computeMetadata/v1/", "metadata is a cloud metadata host name, never allowed")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address, never allowed")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is a cloud metadata address, never allowed")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "100.100.100.200 is a cloud metadata address, never allowed")]
    [InlineData("http://169.254.10.10/", "169.254.10.10 is a link-local address, never allowed")]
    public async Task Should_refuse_metadata_without_a_lookup_when_a_redirect_points_there_although_everything_is_allowed(string target, string rule)
    {
        await using var outside = LoopbackServer.Redirecting(307, target, address: "127.0.0.2");
        var dns = new FakeDns();
        var policy = new HttpDestinationPolicy { AllowLoopback = true, AllowPrivateNetworks = true, AllowedNetworks = ["0.0.0.0/0", "::/0"] };
        using var runner = new HttpRunner(policy, null, dns.Resolve);

        var result = await Run(runner, outside.Url.ToString());

        Assert.Equal($"redirect 1 to {new Uri(target)} refused: {rule}", result.Error);
        Assert.True(dns.Asked.IsEmpty, $"looked up {string.Join(", ", dns.Asked)}");
    }

    /// <summary>A DNS server the spec controls; it records what was asked and knows only what it was told.</summary>
    private sealed class FakeDns
    {
        private readonly ConcurrentDictionary<string, IPAddress[]> answers = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentQueue<string> Asked { get; } = new();

        public IPAddress[] this[string host]
        {
            set => answers[host] = value;
        }

        public Task<IPAddress[]> Resolve(string host, CancellationToken cancel)
        {
            Asked.Enqueue(host);
            return answers.TryGetValue(host, out var addresses)
                ? Task.FromResult(addresses)
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        }
    }
}
