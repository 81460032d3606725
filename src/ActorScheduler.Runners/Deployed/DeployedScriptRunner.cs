using ActorScheduler.Core.Definitions;
using ActorScheduler.Runners.Shell;

namespace ActorScheduler.Runners.Deployed;

/// <summary>Where a worker fetches a deployed script's bytes by their hash (the nodes that hold the script table).</summary>
public interface IDeployedScriptSource
{
    /// <returns>The bytes as some node holds them (the caller checks them against the hash), or null when none has them.</returns>
    /// <exception cref="DeployedScriptUnavailableException">No node could be asked, or none answered in time.</exception>
    Task<byte[]?> FetchAsync(string sha256, CancellationToken cancel);
}

public sealed class DeployedScriptUnavailableException(string message) : Exception(message);

/// <summary>
/// What a worker needs to run deployed scripts: its cache, where to fetch what is not cached, and a shell runner whose
/// policy allows exactly the cache's files (and nothing else), with the worker's usual options (environment, output).
/// </summary>
public sealed class DeployedScripts(ScriptCache cache, IDeployedScriptSource source, ShellRunnerOptions options)
{
    private readonly SemaphoreSlim _fetching = new(1, 1);

    public ScriptCache Cache => cache;

    internal ShellRunner Shell { get; } = new(new ShellPolicy { ScriptDirectories = [cache.Directory] }, options);

    /// <summary>The cached file of the script, fetched and checked first when the worker does not have it yet.</summary>
    /// <returns>The file, or null with the reason the run cannot have it.</returns>
    internal async Task<(string? File, string? Error)> Resolve(ScriptRunSpec script, CancellationToken cancel)
    {
        var (hash, name) = (script.Sha256!, ScriptRunRules.FileName(script.Path!));
        if (cache.Find(hash, name) is { } cached)
            return (cached, null);
        await _fetching.WaitAsync(cancel).ConfigureAwait(false); // one fetch at a time: a burst of runs of one new script fetches it once
        try
        {
            if (cache.Find(hash, name) is { } fetchedMeanwhile)
                return (fetchedMeanwhile, null);
            var content = await source.FetchAsync(hash, cancel).ConfigureAwait(false);
            if (content is null)
                return (null, $"script '{script.Path}' (sha256 {hash}) is not deployed: no scheduler or gateway node has it");
            if (!ScriptHash.Matches(content, hash))
                return (null, $"script '{script.Path}' as fetched does not match its sha256 {hash}; it was not run");
            return (cache.Store(hash, name, content), null);
        }
        catch (DeployedScriptUnavailableException e)
        {
            return (null, $"script '{script.Path}' (sha256 {hash}) could not be fetched: {e.Message}");
        }
        finally
        {
            _fetching.Release();
        }
    }
}

/// <summary>
/// Runs <c>run.script</c> runs (a deployed script, by hash) and hands every other run to <paramref name="inner"/>. A
/// script run becomes a shell run of the cached file with the script's arguments, environment and input, under a policy
/// that allows only the cache. <paramref name="scripts"/> is null on a worker that does not run deployed scripts
/// (<c>actor-scheduler.worker.shell.allow-deployed-scripts = off</c>): such runs fail saying so.
/// </summary>
public sealed class DeployedScriptRunner(IRunner inner, DeployedScripts? scripts) : IRunner
{
    public bool CanRun(RunSpec spec) => spec.Script is not null || inner.CanRun(spec);

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        if (request.Run?.Script is not { } script || request.Run is { Shell: not null } or { Http: not null } or { Handler: not null })
            return await inner.RunAsync(request, observer, cancel).ConfigureAwait(false);
        if (scripts is null)
            return RunResult.Failed("this worker does not run deployed scripts: its actor-scheduler.worker.shell.allow-deployed-scripts is off");
        var problems = new List<string>();
        ScriptRunRules.Validate(script, (field, message) => problems.Add($"{field} {message}"));
        if (problems.Count > 0)
            return RunResult.Failed(string.Join(" ", problems));
        var (file, error) = await scripts.Resolve(script, cancel).ConfigureAwait(false);
        if (file is null)
            return RunResult.Failed(error!);
        var shell = new ShellRunSpec
        {
            Command = [file, .. script.Args ?? []], Env = script.Env, WorkingDirectory = script.WorkingDirectory, Stdin = script.Stdin,
        };
        return await scripts.Shell.RunAsync(request with { Run = new RunSpec { Shell = shell } }, observer, cancel).ConfigureAwait(false);
    }
}
