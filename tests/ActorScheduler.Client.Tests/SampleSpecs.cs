using System.Diagnostics;

namespace ActorScheduler.Client.Tests;

/// <summary>The sample console application, run as its own process against a node, does what its README shows.</summary>
public sealed class SampleSpecs
{
    [Fact]
    public async Task Should_define_trigger_and_print_the_outcome_of_a_job_when_run_against_a_node()
    {
        await using var node = await ClientNode.StartAsync();

        var (exitCode, output) = await RunSample(node.Address);

        Assert.True(exitCode == 0, $"the sample should exit 0; it printed:\n{output}");
        Assert.Contains("Run client-sample~1 Succeeded", output);
        Assert.Contains("hello from the client", output);
    }

    private static async Task<(int ExitCode, string Output)> RunSample(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SamplePath());
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The sample's build output, beside this assembly's in the same configuration.</summary>
    private static string SamplePath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ActorScheduler.sln")))
            root = root.Parent;
        var path = Path.Combine(root!.FullName, "samples", "ActorScheduler.Client.Sample", "bin", configuration, here.Name,
            "ActorScheduler.Client.Sample.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the sample is missing.", path);
    }
}
