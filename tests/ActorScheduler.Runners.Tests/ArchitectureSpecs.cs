using ActorScheduler.Runners.Shell;

namespace ActorScheduler.Runners.Tests;

/// <summary>The runners stay plain .NET: the Akka worker actor wraps them, never the other way round.</summary>
public sealed class ArchitectureSpecs
{
    [Fact]
    public void Should_reference_no_akka_assembly_when_the_runners_library_is_loaded()
    {
        var akka = typeof(ShellRunner).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Akka", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.FullName)
            .ToList();

        Assert.True(akka.Count == 0, $"ActorScheduler.Runners must not depend on the actor framework, but references {string.Join(", ", akka)}");
    }
}
