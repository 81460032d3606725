using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Tests;

/// <summary>The rules of shape that keep the domain clean (STYLE.md §1 and §12).</summary>
public sealed class ArchitectureSpecs
{
    private const int MaxLinesPerFile = 400;

    [Fact]
    public void Should_reference_no_akka_assembly_when_the_domain_library_is_loaded()
    {
        var akka = typeof(JobPlan).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Akka", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.FullName)
            .ToList();

        Assert.True(akka.Count == 0, $"ActorScheduler.Core must not depend on the actor framework, but references {string.Join(", ", akka)}");
    }

    [Fact]
    public void Should_keep_every_source_file_at_most_400_lines_when_in_the_domain_library()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "ActorScheduler.Core");
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(source, f)))
            .ToList();

        Assert.NotEmpty(files);
        var tooLong = files
            .Select(f => (File: Path.GetRelativePath(source, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLinesPerFile)
            .Select(f => $"{f.File} ({f.Lines} lines)")
            .ToList();
        Assert.True(tooLong.Count == 0, $"split these files (over {MaxLinesPerFile} lines): {string.Join(", ", tooLong)}");
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0] is "obj" or "bin";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ActorScheduler.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds ActorScheduler.sln.");
    }
}
