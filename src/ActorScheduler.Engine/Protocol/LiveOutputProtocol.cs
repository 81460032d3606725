using ActorScheduler.Core;

namespace ActorScheduler.Engine.Protocol;

/// <summary>
/// Asks a worker's <c>/user/live-output</c> what a run has printed there from byte <paramref name="From"/> on. Offsets
/// count the UTF-8 bytes of the run's output on that worker from its first; a reader starts at 0 and then passes the
/// <see cref="LiveOutputChunk.Next"/> it was given, so it gets each piece once.
/// </summary>
public sealed record GetLiveOutput(RunId RunId, long From = 0);

/// <summary>The answer to <see cref="GetLiveOutput"/>.</summary>
/// <param name="Known">
/// False when the worker holds nothing of the run: it never ran there, or it finished long enough ago to be forgotten
/// (actor-scheduler.worker.live-output.keep-finished). The other fields are then empty, and the run's recorded output
/// is where to look.
/// </param>
/// <param name="Text">The output from <c>From</c> (or from the oldest byte still kept) up to <paramref name="Next"/>.</param>
/// <param name="Next">Where the next read starts. Less than the <c>From</c> asked for when the worker's output of the
/// run started over (the worker restarted): <paramref name="Text"/> is then from its beginning.</param>
/// <param name="Running">The run is still running on the worker: more may come.</param>
/// <param name="Dropped">
/// Bytes after <c>From</c> the reader will never get: the worker keeps only the last
/// actor-scheduler.worker.live-output.max-bytes-per-run bytes of a run, and the reader fell that far behind.
/// </param>
/// <param name="More">More is kept beyond <paramref name="Next"/> than one answer carries: ask again at once.</param>
public sealed record LiveOutputChunk(RunId RunId, bool Known, string Text, long Next, bool Running, long Dropped, bool More)
{
    public static LiveOutputChunk Unknown(RunId runId, long from) => new(runId, false, "", Math.Max(0, from), false, 0, false);
}
