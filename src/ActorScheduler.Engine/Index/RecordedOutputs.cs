using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Storage;
using Akka.Event;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// The outputs finished runs recorded, as the runs read model holds them. A job answers that a run finished as soon as
/// the finish is journaled; its row follows within the index writer's next flush (milliseconds). A reader that just heard
/// of the finish would miss the output, so a run that finished moments ago is waited for, a little: up to
/// <see cref="Patience"/>, polling. One that finished longer ago than <see cref="Patience"/> and has no row never will
/// (it finished before this node's version kept runs in the read model) and is answered without output at once.
/// </summary>
public sealed class RecordedOutputs(RunTables runs, ILoggingAdapter log)
{
    /// <summary>How long a fresh finish's row is waited for (the writer retries a failed flush after a second).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The output of each run, by its row once the row shows it finished; <paramref name="finishedAt"/> is when the
    /// job says each finished, <paramref name="now"/> the time now. A run missing from the answer has no recorded output.
    /// </summary>
    public async Task<IReadOnlyDictionary<RunId, string?>> Read(IReadOnlyCollection<(RunId Run, DateTimeOffset FinishedAt)> finished,
        DateTimeOffset now, CancellationToken cancel)
    {
        var outputs = new Dictionary<RunId, string?>();
        var missing = finished.Select(run => run.Run).ToHashSet();
        var worthWaiting = finished.Where(run => now - run.FinishedAt < Patience).Select(run => run.Run).ToHashSet();
        var (waited, poll) = (TimeSpan.Zero, FirstPoll);
        while (missing.Count > 0)
        {
            var ask = missing.ToList();
            foreach (var (run, stored) in await Task.Run(() => runs.Outputs(ask), cancel))
                if (stored.Status.IsFinished() && missing.Remove(run))
                    outputs[run] = stored.Output;
            worthWaiting.IntersectWith(missing);
            if (worthWaiting.Count == 0)
                break;
            if (waited >= Patience)
            {
                log.Warning("The runs read model has no finished row for {0} after {1} (is the index writer failing?); answering without their output: {2}",
                    worthWaiting.Count, Patience, string.Join(", ", worthWaiting.Take(5)));
                break;
            }
            await Task.Delay(poll, cancel);
            (waited, poll) = (waited + poll, poll * 2 < LongestPoll ? poll * 2 : LongestPoll);
        }
        return outputs;
    }
}
