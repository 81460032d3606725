using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners.Deployed;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorScheduler.Engine.Deploys;

/// <summary>
/// A worker's way to a deployed script: asks the <see cref="DeployedScriptServer"/> of each reachable scheduler or
/// gateway node in turn, slice by slice, until one has the script. The worker's actor system is known only once it has
/// started (<see cref="Bind"/>); a run before that cannot fetch.
/// </summary>
/// <param name="timeout">How long one slice may take to arrive from one node.</param>
/// <param name="maxBytes">The largest script accepted; a node claiming more is not believed.</param>
public sealed class ClusterScriptSource(TimeSpan timeout, long maxBytes) : IDeployedScriptSource
{
    private ActorSystem? _system;

    public void Bind(ActorSystem system) => _system = system;

    /// <summary>Logs through the bound system (a line before it is bound goes to the console).</summary>
    public void Log(string message)
    {
        if (_system is { } system)
            system.Log.Warning(message);
        else
            Console.Error.WriteLine(message);
    }

    public async Task<byte[]?> FetchAsync(string sha256, CancellationToken cancel)
    {
        var system = _system ?? throw new DeployedScriptUnavailableException("the worker has not joined its cluster yet");
        var state = Cluster.Get(system).State;
        var holders = state.Members.Where(m => (m.HasRole(NodeRoles.Scheduler) || m.HasRole(NodeRoles.Gateway)) && m.Status == MemberStatus.Up &&
                                               !state.Unreachable.Contains(m)).ToList();
        if (holders.Count == 0)
            throw new DeployedScriptUnavailableException("no scheduler or gateway node is up");
        var silent = 0;
        foreach (var holder in holders)
        {
            try
            {
                return await FetchFrom(system, holder.Address, sha256, cancel);
            }
            catch (AskTimeoutException)
            {
                silent++;
            }
        }
        return silent == holders.Count
            ? throw new DeployedScriptUnavailableException($"none of {holders.Count} scheduler and gateway nodes answered within {timeout.TotalSeconds:0.#} s")
            : null;
    }

    /// <returns>The script, or null when this node has no script with the hash.</returns>
    private async Task<byte[]?> FetchFrom(ActorSystem system, Address address, string sha256, CancellationToken cancel)
    {
        var server = system.ActorSelection(new RootActorPath(address) / "user" / DeployedScriptServer.Name);
        using var content = new MemoryStream();
        // Bounded: every slice but the last is full, and the size is checked against maxBytes first.
        for (var slices = 0; slices <= maxBytes / DeployedScriptChunk.MaxBytes + 1; slices++)
        {
            var chunk = await server.Ask<DeployedScriptChunk>(new FetchDeployedScript(sha256, (int)content.Length), timeout, cancel);
            if (!chunk.Found)
                return null;
            if (chunk.Size > maxBytes || chunk.Offset != content.Length || chunk.Bytes.Length == 0 && content.Length < chunk.Size)
                throw new DeployedScriptUnavailableException($"{address} answered a script of {chunk.Size} bytes inconsistently");
            content.Write(chunk.Bytes);
            if (content.Length >= chunk.Size)
                return content.ToArray();
        }
        throw new DeployedScriptUnavailableException($"{address} sent more slices than a script of at most {maxBytes} bytes has");
    }
}
