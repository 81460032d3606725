namespace ActorScheduler.Integration.Tests;

/// <summary>
/// Where the node program is, for the linked NodeProcess.cs. The integration project's own Build (in
/// ClusterHarness.cs) also locates the lighthouse, which this project neither needs nor builds, so it is not linked.
/// </summary>
public static class Build
{
    public static string NodeDll { get; } = Locate(Path.Combine("src", "ActorScheduler.Node"), "actor-scheduler.dll");

    private static string Locate(string project, string dll)
    {
        var path = RepositoryFiles.Path(project, "bin", RepositoryFiles.Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first", path);
    }
}
