using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Deploys;

/// <summary>
/// <c>/user/deployed-scripts</c> on every node with the database (scheduler, gateway): answers a worker's
/// <see cref="FetchDeployedScript"/> from the script table, so workers fetch scripts by hash without touching the database.
/// Reads run off the actor's thread, at most <see cref="MaxReading"/> at once; up to <see cref="MaxWaiting"/> more
/// wait their turn, and beyond that a fetch gets no answer (the worker asks another node) and it is logged.
/// </summary>
public sealed class DeployedScriptServer : ReceiveActor
{
    public const string Name = "deployed-scripts";

    /// <summary>Slices read from the database at once at most.</summary>
    public const int MaxReading = 16;

    private sealed record Read(DeployedScriptChunk Chunk, IActorRef ReplyTo);

    private sealed record Failed(string Sha256, Exception Error, IActorRef ReplyTo);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Fetches waiting for a read at most.</summary>
    public const int MaxWaiting = 1_000;

    private readonly Queue<(FetchDeployedScript Fetch, IActorRef ReplyTo)> _waiting = new();
    private readonly DeployedScriptTables _tables;
    private int _reading;
    private long _dropped;

    public static Props Props(DeployedScriptTables tables) => Akka.Actor.Props.Create(() => new DeployedScriptServer(tables));

    public DeployedScriptServer(DeployedScriptTables tables)
    {
        _tables = tables;
        Receive<FetchDeployedScript>(fetch =>
        {
            if (_reading < MaxReading)
                Start(fetch, Sender);
            else if (_waiting.Count < MaxWaiting)
                _waiting.Enqueue((fetch, Sender));
            else if (_dropped++ % 100 == 0)
                _log.Warning("Deployed script reads: {0} in flight and {1} waiting; a fetch of {2} was dropped ({3} so far), the worker asks another node",
                    MaxReading, MaxWaiting, fetch.Sha256, _dropped);
        });
        Receive<Read>(read =>
        {
            read.ReplyTo.Tell(read.Chunk);
            Next();
        });
        Receive<Failed>(failed =>
        {
            _log.Warning("Deployed script {0} could not be read from the database: {1}", failed.Sha256, failed.Error.Message);
            Next();
        });
    }

    private void Start(FetchDeployedScript fetch, IActorRef replyTo)
    {
        _reading++;
        Task.Run(() => Slice(_tables, fetch)).PipeTo(Self, success: chunk => new Read(chunk, replyTo), failure: e => new Failed(fetch.Sha256, e, replyTo));
    }

    private void Next()
    {
        _reading--;
        if (_waiting.TryDequeue(out var next))
            Start(next.Fetch, next.ReplyTo);
    }

    private static DeployedScriptChunk Slice(DeployedScriptTables tables, FetchDeployedScript fetch)
    {
        var offset = Math.Max(0, fetch.Offset);
        return tables.Read(fetch.Sha256, offset, DeployedScriptChunk.MaxBytes) is { } slice
            ? new DeployedScriptChunk(fetch.Sha256, true, slice.Size, offset, slice.Bytes)
            : new DeployedScriptChunk(fetch.Sha256, false, 0, offset, []);
    }
}
