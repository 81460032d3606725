using System.Net;
using ActorScheduler.Runners.Http;

namespace ActorScheduler.Runners.Tests;

/// <summary>Which addresses and host names an HTTP job may reach, judged without any network.</summary>
public sealed class HttpDestinationPolicySpecs
{
    private const string Loopback = "a loopback address;";
    private const string Private = "a private-network address;";
    private const string LinkLocal = "a link-local address, never allowed";
    private const string Metadata = "a cloud metadata address, never allowed";
    private const string NotUnicast = "not a unicast address, never allowed";

    [Theory]
    [InlineData("93.184.215.14", null)]
    [InlineData("8.8.8.8", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("11.0.0.1", null)]
    [InlineData("2606:4700:4700::1111", null)]
    [InlineData("64:ff9b::808:808", null)] // NAT64 form of 8.8.8.8
    [InlineData("127.0.0.1", Loopback)]
    [InlineData("127.9.9.9", Loopback)]
    [InlineData("0.0.0.0", Loopback)]
    [InlineData("::1", Loopback)]
    [InlineData("::", Loopback)]
    [InlineData("::ffff:127.0.0.1", Loopback)]
    [InlineData("64:ff9b::7f00:1", Loopback)]
    [InlineData("2002:7f00:1::", Loopback)]
    [InlineData("10.1.2.3", Private)]
    [InlineData("172.16.0.1", Private)]
    [InlineData("172.31.255.255", Private)]
    [InlineData("192.168.1.1", Private)]
    [InlineData("100.64.0.1", Private)]
    [InlineData("::ffff:10.0.0.1", Private)]
    [InlineData("fd12:3456::1", Private)]
    [InlineData("fc00::1", Private)]
    [InlineData("169.254.1.1", LinkLocal)]
    [InlineData("fe80::1", LinkLocal)]
    [InlineData("fe80::1%2", LinkLocal)]
    [InlineData("169.254.169.254", Metadata)]
    [InlineData("::ffff:169.254.169.254", Metadata)]
    [InlineData("fd00:ec2::254", Metadata)]
    [InlineData("100.100.100.200", Metadata)]
    [InlineData("224.0.0.1", NotUnicast)]
    [InlineData("255.255.255.255", NotUnicast)]
    [InlineData("ff02::1", NotUnicast)]
    [InlineData("::7f00:1", NotUnicast)]
    public void Should_judge_the_address_by_its_kind_when_nothing_extra_is_allowed(string address, string? refusal)
    {
        var verdict = HttpDestinationPolicy.PublicOnly.RefusalFor(IPAddress.Parse(address));

        if (refusal is null) Assert.Null(verdict);
        else Assert.StartsWith(refusal, verdict);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("169.254.169.254", false)]
    public void Should_allow_loopback_only_when_loopback_is_allowed(string address, bool allowed) =>
        Assert.Equal(allowed, new HttpDestinationPolicy { AllowLoopback = true }.RefusalFor(IPAddress.Parse(address)) is null);

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("fd12::1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.1.1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("100.100.100.200", false)]
    public void Should_allow_private_networks_but_never_metadata_when_private_networks_are_allowed(string address, bool allowed) =>
        Assert.Equal(allowed, new HttpDestinationPolicy { AllowPrivateNetworks = true }.RefusalFor(IPAddress.Parse(address)) is null);

    [Theory]
    [InlineData("127.0.0.2", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.20.3.4", true)]
    [InlineData("10.21.0.1", false)]
    [InlineData("fd12:3456::9", true)]
    [InlineData("192.168.7.7", true)]
    public void Should_allow_exactly_the_listed_networks_when_networks_are_listed(string address, bool allowed)
    {
        var policy = new HttpDestinationPolicy { AllowedNetworks = ["127.0.0.2/32", "10.20.0.0/16", "fd12:3456::/48", "192.168.7.7"] };

        Assert.Equal(allowed, policy.RefusalFor(IPAddress.Parse(address)) is null);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    public void Should_refuse_link_local_and_metadata_when_everything_else_is_allowed(string address)
    {
        var policy = new HttpDestinationPolicy { AllowLoopback = true, AllowPrivateNetworks = true, AllowedNetworks = ["0.0.0.0/0", "::/0"] };

        Assert.EndsWith("never allowed", policy.RefusalFor(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("metadata.google.internal", "metadata.google.internal is a cloud metadata host name, never allowed")]
    [InlineData("METADATA.Google.Internal.", "metadata.google.internal is a cloud metadata host name, never allowed")]
    [InlineData("metadata", "metadata is a cloud metadata host name, never allowed")]
    [InlineData("169.254.169.254", "169.254.169.254 is a cloud metadata address, never allowed")]
    [InlineData("[::1]", "::1 is a loopback address; this worker allows those only with actor-scheduler.worker.http.allow-loopback or a matching allowed-networks entry")]
    [InlineData("example.org", null)]
    [InlineData("metadata.example.org", null)]
    public void Should_judge_the_host_before_any_lookup_when_it_is_a_metadata_name_or_an_address(string host, string? refusal) =>
        Assert.Equal(refusal, HttpDestinationPolicy.PublicOnly.RefusalForHost(host));

    [Fact]
    public void Should_name_each_bad_entry_when_a_network_is_not_cidr()
    {
        var policy = new HttpDestinationPolicy { AllowedNetworks = ["10.0.0.0/8", "10.0.0.0/33", "intranet", ""] };

        Assert.Equal(
            ["AllowedNetworks entry '10.0.0.0/33' is not an address or a network in CIDR form (e.g. 10.20.0.0/16).",
             "AllowedNetworks entry 'intranet' is not an address or a network in CIDR form (e.g. 10.20.0.0/16).",
             "AllowedNetworks entry '' is not an address or a network in CIDR form (e.g. 10.20.0.0/16)."],
            policy.Problems());
        Assert.Throws<ArgumentException>(() => new HttpRunner(policy));
    }

    [Fact]
    public void Should_describe_itself_in_one_line_when_asked_for_the_start_up_log()
    {
        Assert.Equal("http: destinations allowed: public addresses; link-local and cloud metadata never", HttpDestinationPolicy.PublicOnly.Describe());
        Assert.Equal("http: destinations allowed: public addresses, loopback, 10.20.0.0/16; link-local and cloud metadata never",
            new HttpDestinationPolicy { AllowLoopback = true, AllowedNetworks = ["10.20.0.0/16"] }.Describe());
    }
}
