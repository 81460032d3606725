using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorScheduler.Engine;

/// <summary>
/// Journal events as live streams, read through Akka.Persistence.Sql's read journal (which polls the journal table):
/// one job's events by sequence number, or every job's by the journal's global ordering. Each event carries its
/// position, so a reader that reconnects after position p asks for what comes after p and gets exactly that.
/// </summary>
public sealed class EventStreams(ActorSystem system)
{
    private SqlReadJournal Journal => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    /// <summary>One job's events from sequence number <paramref name="from"/> on (inclusive), as they are written.</summary>
    public IAsyncEnumerable<StreamedEvent> OfJob(JobId id, long from, CancellationToken cancel) =>
        Run(Journal.EventsByPersistenceId(JobPersistenceId.Of(id), Math.Max(1, from), long.MaxValue), cancel);

    /// <summary>Every job's events after global position <paramref name="after"/> (exclusive), as they are written.</summary>
    public IAsyncEnumerable<StreamedEvent> All(long after, CancellationToken cancel) =>
        Run(Journal.AllEvents(Offset.Sequence(Math.Max(0, after))), cancel);

    /// <summary>The job's highest sequence number now; 0 when it has no events (it was never defined).</summary>
    public async Task<long> HighestOf(JobId id, CancellationToken cancel)
    {
        var last = await Journal.CurrentEventsByPersistenceId(JobPersistenceId.Of(id), 0, long.MaxValue)
            .Select(e => e.SequenceNr)
            .RunWith(Sink.LastOrDefault<long>(), system.Materializer());
        cancel.ThrowIfCancellationRequested();
        return last;
    }

    private async IAsyncEnumerable<StreamedEvent> Run(Source<EventEnvelope, Akka.NotUsed> source, [EnumeratorCancellation] CancellationToken cancel)
    {
        // A bounded queue between the journal's poll and the reader: a slow reader backpressures the query.
        var (stop, queue) = source.Select(Describe)
            .ViaMaterialized(KillSwitches.Single<StreamedEvent>(), Keep.Right)
            .ToMaterialized(Sink.Queue<StreamedEvent>(), Keep.Both)
            .Run(system.Materializer());
        try
        {
            while (true)
            {
                var next = await queue.PullAsync().WaitAsync(cancel);
                if (!next.HasValue)
                    yield break;
                yield return next.Value;
            }
        }
        finally
        {
            stop.Shutdown(); // the reader left: the journal is no longer polled for it
        }
    }

    /// <summary>One envelope as a stream shows it: the job, its sequence number, the global position, the event.</summary>
    public static StreamedEvent Describe(EventEnvelope envelope)
    {
        var job = envelope.PersistenceId.StartsWith(JobPersistenceId.Prefix, StringComparison.Ordinal)
            ? envelope.PersistenceId[JobPersistenceId.Prefix.Length..]
            : envelope.PersistenceId;
        var position = envelope.Offset is Sequence sequence ? sequence.Value : envelope.SequenceNr;
        return envelope.Event is JobEvent jobEvent
            ? new StreamedEvent(job, envelope.SequenceNr, position, TypeOf(jobEvent), jobEvent.At,
                JsonSerializer.SerializeToElement(jobEvent, jobEvent.GetType(), CoreJson.Options))
            : new StreamedEvent(job, envelope.SequenceNr, position, envelope.Event.GetType().Name,
                DateTimeOffset.FromUnixTimeMilliseconds(envelope.Timestamp), null);
    }

    /// <summary>The event's journal name without its version: <c>run-finished</c>.</summary>
    public static string TypeOf(JobEvent e) =>
        JobJournalSerializer.Manifests.TryGetValue(e.GetType(), out var manifest) ? manifest[..manifest.LastIndexOf('.')] : e.GetType().Name;
}

/// <summary>
/// A journal event in a live stream. <see cref="Seq"/> is its place in its job's journal, <see cref="Position"/> its
/// place in the whole journal (the stream of all events resumes by it).
/// </summary>
public sealed record StreamedEvent(string JobId, long Seq, long Position, string Type, DateTimeOffset At, JsonElement? Data);
