using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>Runs waiting at a dispatcher, in the order they came, one per run id (the newest request of a run replaces an older one).</summary>
public sealed class WaitingRuns
{
    private readonly LinkedList<DispatchRun> _order = new();
    private readonly Dictionary<RunId, LinkedListNode<DispatchRun>> _byRun = new();

    public int Count => _byRun.Count;

    public bool Contains(RunId runId) => _byRun.ContainsKey(runId);

    public void Add(DispatchRun run)
    {
        Remove(run.RunId);
        _byRun[run.RunId] = _order.AddLast(run);
    }

    public bool Remove(RunId runId)
    {
        if (!_byRun.Remove(runId, out var node))
            return false;
        _order.Remove(node);
        return true;
    }

    /// <summary>The waiting runs, oldest first; the one just returned may be removed while iterating.</summary>
    public IEnumerable<DispatchRun> InOrder()
    {
        for (var node = _order.First; node is not null;)
        {
            var next = node.Next;
            yield return node.Value;
            node = next;
        }
    }

    /// <summary>Removes the run, answering its request, if it waits here.</summary>
    public bool TryTake(RunId runId, out DispatchRun run)
    {
        if (!_byRun.Remove(runId, out var node))
        {
            run = null!;
            return false;
        }
        _order.Remove(node);
        run = node.Value;
        return true;
    }

    public IReadOnlyList<DispatchRun> TakeAll()
    {
        var all = _order.ToList();
        _order.Clear();
        _byRun.Clear();
        return all;
    }
}
