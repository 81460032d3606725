using System.Xml.Linq;

namespace ActorScheduler.Cli.Tests;

/// <summary>
/// The shipped packages, packed once for the packaging specs into a temporary feed: schedctl, ActorScheduler.Client
/// and the ActorScheduler.Core it depends on, with a version of their own (the repository's VersionPrefix plus a
/// unique suffix) so that no cached package of an earlier run can stand in for them. schedctl is installed from the
/// feed into a tool path. Build output goes under the temporary folder too, never into the working tree's bin/obj.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] ShippedProjects =
    [
        "src/ActorScheduler.Cli/ActorScheduler.Cli.csproj",
        "src/ActorScheduler.Client/ActorScheduler.Client.csproj",
        "src/ActorScheduler.Core/ActorScheduler.Core.csproj",
    ];

    public string Folder { get; } = Directory.CreateTempSubdirectory("schedctl-packaging-").FullName;

    public string Feed => Path.Combine(Folder, "feed");

    public string VersionPrefix { get; } = ReadVersionPrefix();

    public string Version { get; private set; } = "";

    public string Schedctl => Path.Combine(Folder, "tools", "schedctl");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        Version = $"{VersionPrefix}-spec{Guid.NewGuid().ToString("N")[..10]}";
        var solution = Path.Combine(Folder, "shipped.slnx");
        await File.WriteAllTextAsync(solution, new XElement("Solution",
            ShippedProjects.Select(p => new XElement("Project", new XAttribute("Path", Path.Combine(RepositoryRoot, p))))).ToString());
        await ChildProcess.SucceedAsync(ChildProcess.StartInfo(ChildProcess.Dotnet,
            ["pack", solution, "-c", "Release", "--artifacts-path", Path.Combine(Folder, "artifacts"), "-o", Feed, $"-p:VersionSuffix={Version[(VersionPrefix.Length + 1)..]}"]));
        var config = Path.Combine(Folder, "tool.nuget.config");
        await File.WriteAllTextAsync(config, NuGetConfig(clearOtherSources: true));
        await ChildProcess.SucceedAsync(ChildProcess.StartInfo(ChildProcess.Dotnet,
            ["tool", "install", "--tool-path", Path.Combine(Folder, "tools"), "--configfile", config, "schedctl", "--version", Version],
            environment: new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Folder, "tool-packages") }));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a process of a failed spec may still hold a file; the temp folder is cleaned by the system then
        }
        return Task.CompletedTask;
    }

    /// <summary>A nuget.config with this feed; with <paramref name="clearOtherSources"/> false the machine's sources stay too.</summary>
    public string NuGetConfig(bool clearOtherSources) => new XElement("configuration",
        new XElement("packageSources",
            clearOtherSources ? new XElement("clear") : null,
            new XElement("add", new XAttribute("key", "spec-feed"), new XAttribute("value", Feed)))).ToString();

    private static string ReadVersionPrefix() =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    private static string FindRepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ActorScheduler.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new DirectoryNotFoundException($"No ActorScheduler.sln above {AppContext.BaseDirectory}.");
    }
}
