using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary>
/// SLOW (15 s on an idle machine, about a minute under load: a Release pack of four projects, a tool install, a
/// console app restored and built against the client package). What users install works: the schedctl tool from its package, run as its own process against
/// a command host, and ActorScheduler.Client referenced as a package by a new application.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PackagingSpecs(PackedFeed packed) : FakeHostSpecs, IClassFixture<PackedFeed>
{
    private Task<ProcessResult> Schedctl(params string[] args) => ChildProcess.RunAsync(ChildProcess.StartInfo(packed.Schedctl, args));

    [Fact]
    public void Should_make_the_tool_the_client_and_its_core_with_one_version_when_packed()
    {
        var packages = Directory.GetFiles(packed.Feed, "*.nupkg").Select(Path.GetFileName).Order();

        Assert.Equal([$"ActorScheduler.Client.{packed.Version}.nupkg", $"ActorScheduler.Core.{packed.Version}.nupkg", $"schedctl.{packed.Version}.nupkg"], packages);
        var tool = Nuspec("schedctl");
        Assert.Equal("DotnetTool", tool.Descendants(tool.Name.Namespace + "packageType").Single().Attribute("name")!.Value);
        var client = Nuspec("ActorScheduler.Client");
        Assert.Equal(packed.Version, client.Descendants(client.Name.Namespace + "dependency")
            .Single(d => d.Attribute("id")!.Value == "ActorScheduler.Core").Attribute("version")!.Value);
        foreach (var nuspec in new[] { tool, client })
        {
            Assert.Equal("README.md", nuspec.Descendants(nuspec.Name.Namespace + "readme").Single().Value);
            Assert.NotEmpty(nuspec.Descendants(nuspec.Name.Namespace + "license").Single().Value);
            Assert.NotEmpty(nuspec.Descendants(nuspec.Name.Namespace + "description").Single().Value);
        }
        Assert.Contains($"lib/net10.0/ActorScheduler.Client.xml", Entries("ActorScheduler.Client"));
    }

    [Fact]
    public async Task Should_print_its_version_when_the_installed_tool_is_asked()
    {
        var result = await Schedctl("--version");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal($"schedctl {packed.Version}", result.Out.Trim());
    }

    [Fact]
    public async Task Should_run_commands_against_the_host_when_the_installed_tool_is_given_them()
    {
        var lines = await Schedctl(Host.Address, "cluster", "show");
        var json = await Schedctl(Host.Address, "jobs", "list", "--json");
        var unreachable = await Schedctl($"127.0.0.1:{Ports.Unused()}", "cluster", "show");

        Assert.True(lines.ExitCode == ExitCodes.Ok, lines.ToString());
        Assert.Contains("akka.tcp://actor-scheduler@10.0.0.5:4053 | Up | scheduler", lines.Out);
        Assert.Contains(FakeAnswers.MembersFooter, lines.Out);
        Assert.Equal(2, JsonDocument.Parse(json.Out).RootElement.GetArrayLength());
        Assert.Equal(ExitCodes.Unreachable, unreachable.ExitCode);
        Assert.Contains("Cannot reach a command host", unreachable.Error);
    }

    [Fact]
    public async Task Should_cancel_the_tail_on_the_host_and_exit_0_when_the_installed_tool_gets_ctrl_c()
    {
        // env resets SIGINT to its default first: a shell that started the test runner in the background ignores it
        var start = ChildProcess.StartInfo("env", ["--default-signal=INT", packed.Schedctl, Host.Address, "jobs", "tail", "nightly"]);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();

        var printed = await ChildProcess.ReadUntilAsync(process, line => line.StartsWith("[nightly~1]"));
        ChildProcess.Interrupt(process);
        var rest = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await ChildProcess.WaitAsync(process, start);

        Assert.True(process.ExitCode == ExitCodes.Ok, $"exit {process.ExitCode}\n{printed}{rest}\n{error}");
        Assert.True(Host.CancelReceived.Task.IsCompleted, "the host was asked to cancel the tail");
        Assert.DoesNotContain('\u001b', printed + rest);
    }

    [Fact]
    public async Task Should_build_and_run_an_application_when_it_references_the_client_package()
    {
        var app = Directory.CreateDirectory(Path.Combine(packed.Folder, $"app-{Guid.NewGuid():N}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), packed.NuGetConfig(clearOtherSources: false));
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), AppProject());
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), AppProgram);
        var contact = $"akka.tcp://actor-scheduler@127.0.0.1:{Ports.Unused()}";

        await ChildProcess.SucceedAsync(ChildProcess.StartInfo(ChildProcess.Dotnet, ["build", "-c", "Release", "-o", Path.Combine(app, "out")], app));
        var run = await ChildProcess.SucceedAsync(ChildProcess.StartInfo(ChildProcess.Dotnet, [Path.Combine(app, "out", "app.dll"), contact], app));

        Assert.Contains($"contact points: {contact}", run.Out);
        Assert.Contains("job: from-the-package", run.Out);
        Assert.True(Directory.Exists(Path.Combine(app, "packages", "actorscheduler.client", packed.Version)),
            "the app restored the client package packed by this run, not a cached one");
    }

    /// <summary>
    /// A plain application outside the repository (no Directory.Build.props, no central versions). Akka and Cronos come
    /// from the machine's package folder as a read-only fallback, so the spec needs no download; this run's packages
    /// land in the app's own folder and never in the machine's cache.
    /// </summary>
    private string AppProject() => new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
        new XElement("PropertyGroup",
            new XElement("OutputType", "Exe"),
            new XElement("TargetFramework", "net10.0"),
            new XElement("ImplicitUsings", "enable"),
            new XElement("Nullable", "enable"),
            new XElement("RestorePackagesPath", "$(MSBuildThisFileDirectory)packages"),
            new XElement("RestoreFallbackFolders", MachinePackageFolder())),
        new XElement("ItemGroup",
            new XElement("PackageReference", new XAttribute("Include", "ActorScheduler.Client"), new XAttribute("Version", packed.Version)))).ToString();

    private const string AppProgram = """
        using ActorScheduler.Client;
        using ActorScheduler.Core;

        var options = new ActorSchedulerClientOptions { ContactPoints = [args[0]], RequestTimeout = TimeSpan.FromSeconds(5) };
        await using (var client = new ActorSchedulerClient(options))
            Console.WriteLine($"contact points: {string.Join(", ", client.ContactPoints)}");
        Console.WriteLine($"job: {JobId.Parse("from-the-package")}");
        """;

    private static string MachinePackageFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private XElement Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.{packed.Version}.nupkg"));
        using var nuspec = package.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(nuspec).Root!;
    }

    private IReadOnlyList<string> Entries(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.{packed.Version}.nupkg"));
        return package.Entries.Select(e => e.FullName).ToList();
    }
}
