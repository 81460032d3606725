using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// A run's runner callbacks, which arrive on a runner thread: they only ever send messages. Progress goes to the
/// worker (which passes at most one a second on to the job); emitted events go straight to a trigger router, and the
/// last one's data is kept for the run's result (read once the runner's task has ended, so after every call).
/// </summary>
internal sealed class RunObserver(RunId runId, int chainDepth, IActorRef triggers, Action<long, long?> progress) : IRunObserver
{
    public void Progress(long current, long? max) => progress(current, max);

    public JsonElement? LastEmitted { get; private set; }

    public void Emit(string eventName, JsonElement? data)
    {
        LastEmitted = data;
        triggers.Tell(new EventEmitted(eventName, data, runId, chainDepth));
    }
}
