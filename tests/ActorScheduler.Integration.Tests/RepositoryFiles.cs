namespace ActorScheduler.Integration.Tests;

/// <summary>Files of this repository, found from the test assembly's folder upwards (the folder holding ActorScheduler.sln).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release when the tests themselves were built in Release, else Debug: the programs are built alongside.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "ActorScheduler.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("ActorScheduler.sln not found above " + AppContext.BaseDirectory);
    }
}
