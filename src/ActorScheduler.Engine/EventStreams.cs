using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using Akka.Actor;
using Akka.Event;
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
    /// <summary>A stream quiet this long sends a heartbeat (null): a vanished reader is found out, proxies keep it open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>After a failed read (the database away) the stream opens again, from where it was, after this long.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private static readonly StreamedEvent HeartbeatMarker = new("", 0, 0, "heartbeat", DateTimeOffset.MinValue, null);

    // One materializer for every stream: each one made is an actor that lives until the system ends.
    private readonly Lazy<ActorMaterializer> _materializer = new(() => system.Materializer());

    private SqlReadJournal Journal => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    /// <summary>Runs a finite query of the read journal (the job's history).</summary>
    public Task<IImmutableList<EventEnvelope>> Current(JobId id) => Current(id, 0, int.MaxValue);

    /// <summary>At most <paramref name="limit"/> of the job's events from sequence number <paramref name="from"/> on (a page of its history).</summary>
    public Task<IImmutableList<EventEnvelope>> Current(JobId id, long from, int limit) =>
        Journal.CurrentEventsByPersistenceId(JobPersistenceId.Of(id), from, long.MaxValue).Take(limit)
            .RunWith(Sink.Seq<EventEnvelope>(), _materializer.Value);

    /// <summary>
    /// One job's events from sequence number <paramref name="from"/> on (inclusive), as they are written; null items
    /// are heartbeats.
    /// </summary>
    public IAsyncEnumerable<StreamedEvent?> OfJob(JobId id, long from, CancellationToken cancel) =>
        Resuming(next => Journal.EventsByPersistenceId(JobPersistenceId.Of(id), next, long.MaxValue), Math.Max(1, from), e => e.Seq + 1, cancel);

    /// <summary>Every job's events after global position <paramref name="after"/> (exclusive), as they are written; null items are heartbeats.</summary>
    public IAsyncEnumerable<StreamedEvent?> All(long after, CancellationToken cancel) =>
        Resuming(next => Journal.AllEvents(Offset.Sequence(next)), Math.Max(0, after), e => e.Position, cancel);

    /// <summary>Whether the job has any event (it was defined once): reads its first event only.</summary>
    public async Task<bool> Exists(JobId id, CancellationToken cancel)
    {
        var first = await Journal.CurrentEventsByPersistenceId(JobPersistenceId.Of(id), 1, long.MaxValue).Take(1)
            .RunWith(Sink.FirstOrDefault<EventEnvelope>(), _materializer.Value).WaitAsync(cancel);
        return first is not null;
    }

    /// <summary>
    /// A live query that outlives a failed read: it opens again from just after the last event delivered, so the
    /// reader sees neither a gap nor a repeat.
    /// </summary>
    private async IAsyncEnumerable<StreamedEvent?> Resuming(Func<long, Source<EventEnvelope, Akka.NotUsed>> open, long start,
        Func<StreamedEvent, long> next, [EnumeratorCancellation] CancellationToken cancel)
    {
        var position = start;
        while (!cancel.IsCancellationRequested)
        {
            var failed = false;
            await using var reader = Read(open(position), cancel).GetAsyncEnumerator(cancel);
            while (true)
            {
                try
                {
                    if (!await reader.MoveNextAsync())
                        yield break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    system.Log.Warning("An event stream failed at {0} and opens again in {1}: {2}", position, RetryAfter, e.Message);
                    failed = true;
                    break;
                }
                if (reader.Current is { } item)
                    position = next(item);
                yield return reader.Current;
            }
            if (failed)
                await Task.Delay(RetryAfter, cancel);
        }
    }

    private async IAsyncEnumerable<StreamedEvent?> Read(Source<EventEnvelope, Akka.NotUsed> source, [EnumeratorCancellation] CancellationToken cancel)
    {
        // A bounded queue between the journal's poll and the reader: a slow reader backpressures the query.
        // Streams carry no nulls: a marker stands for the heartbeat until it leaves the stream.
        var (stop, queue) = source.Select(Describe)
            .KeepAlive(Heartbeat, () => HeartbeatMarker)
            .ViaMaterialized(KillSwitches.Single<StreamedEvent>(), Keep.Right)
            .ToMaterialized(Sink.Queue<StreamedEvent>(), Keep.Both)
            .Run(_materializer.Value);
        try
        {
            while (true)
            {
                var item = await queue.PullAsync().WaitAsync(cancel);
                if (!item.HasValue)
                    yield break;
                yield return ReferenceEquals(item.Value, HeartbeatMarker) ? null : item.Value;
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
                JsonSerializer.SerializeToElement(jobEvent, jobEvent.GetType(), CoreJson.Options)) { Event = jobEvent }
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
public sealed record StreamedEvent(string JobId, long Seq, long Position, string Type, DateTimeOffset At, JsonElement? Data)
{
    /// <summary>The event itself, for readers inside this process (not written out: <see cref="Data"/> is its JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public JobEvent? Event { get; init; }
}
