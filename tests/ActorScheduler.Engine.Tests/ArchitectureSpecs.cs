using ActorScheduler.Engine.Hosting;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The Engine's shape (docs/ARCHITECTURE.md, "Folders"): its namespaces depend only downward, and its files stay
/// small enough to read — actors above all, which are thin shells over plain classes.
/// </summary>
public sealed class ArchitectureSpecs
{
    private const int MaxLinesPerFile = 250;
    private const int MaxLinesPerActorFile = 150;

    private static readonly Architecture Engine = new ArchLoader().LoadAssemblies(typeof(EngineHost).Assembly).Build();

    [Fact]
    public void Should_have_no_dependency_cycle_between_engine_namespaces()
    {
        // "(**)" slices by the whole namespace below ActorScheduler, so the root namespace of the Engine
        // (ActorScheduler.Engine: JobService) is a slice of its own, as are Engine.Jobs, Engine.Protocol and the rest.
        var rule = Slices().Matching("ActorScheduler.(**)").Should().BeFreeOfCycles();

        rule.Check(Engine);
    }

    [Fact]
    public void Should_keep_every_engine_source_file_at_most_250_lines()
    {
        var tooLong = SourceFiles()
            .Where(f => f.Lines > MaxLinesPerFile)
            .Select(f => $"{f.Path} ({f.Lines} lines)")
            .ToList();

        Assert.True(tooLong.Count == 0, $"split these files (over {MaxLinesPerFile} lines): {string.Join(", ", tooLong)}");
    }

    [Fact]
    public void Should_keep_every_actor_file_at_most_150_lines()
    {
        var actors = SourceFiles().Where(f => f.IsActor).ToList();
        var tooLong = actors.Where(f => f.Lines > MaxLinesPerActorFile).Select(f => $"{f.Path} ({f.Lines} lines)").ToList();

        Assert.True(actors.Count >= 8, $"expected the engine's actors among its files, found {actors.Count}");
        Assert.True(tooLong.Count == 0,
            $"these actors hold more than a shell's worth of code (over {MaxLinesPerActorFile} lines); move their logic into a plain class: {string.Join(", ", tooLong)}");
    }

    private sealed record SourceFile(string Path, int Lines, bool IsActor);

    private static IReadOnlyList<SourceFile> SourceFiles()
    {
        var source = Path.Combine(RepositoryFiles.Root, "src", "ActorScheduler.Engine");
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(source, f)))
            .Where(f => f.Relative.Split(Path.DirectorySeparatorChar)[0] is not ("obj" or "bin"))
            .Select(f =>
            {
                var text = File.ReadAllLines(f.Full);
                // An actor derives from one of Akka's actor base classes.
                var isActor = text.Any(line => line.Contains(" : ReceiveActor", StringComparison.Ordinal) ||
                                               line.Contains(" : ReceivePersistentActor", StringComparison.Ordinal) ||
                                               line.Contains(" : UntypedActor", StringComparison.Ordinal));
                return new SourceFile(f.Relative, text.Length, isActor);
            })
            .ToList();
        Assert.NotEmpty(files);
        return files;
    }
}

/// <summary>Where the repository's files are, found from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ActorScheduler.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds ActorScheduler.sln.");
    }
}
