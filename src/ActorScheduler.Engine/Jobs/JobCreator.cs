using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Wakeups;
using Akka.Actor;
using Akka.Event;
using Akka.Serialization;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// The create path (POST): new jobs are decided with the same pure <see cref="JobDecider"/> and written in
/// batches — each job's first journal event and its index row in one transaction — without starting an entity
/// or running a per-job recovery query. The entity recovers from that event when the job is first woken or
/// asked. An id that already has a journal is answered 409, as the entity would.
/// </summary>
public sealed class JobCreator : ReceiveActor
{
    public const string Name = "job-creator";

    public sealed record Create(JobDefinition Definition);

    private sealed record Pending(JobState State, NewJob Job, IActorRef ReplyTo);

    private sealed record Written(IReadOnlyList<Pending> Batch, IReadOnlyList<bool>? Created, Exception? Error);

    public const int MaxBatch = 1_000;

    private readonly JobIndexStore _store;
    private readonly IActorRef _wakes;
    private readonly JobEntityContext _node;
    private readonly TimeSpan _lookahead;
    private List<Pending> _batch = new();
    private bool _writing;

    public static Props Props(JobIndexStore store, IActorRef wakes, JobEntityContext node, TimeSpan lookahead) =>
        Akka.Actor.Props.Create(() => new JobCreator(store, wakes, node, lookahead));

    public JobCreator(JobIndexStore store, IActorRef wakes, JobEntityContext node, TimeSpan lookahead)
    {
        (_store, _wakes, _node, _lookahead) = (store, wakes, node, lookahead);
        var serializer = (SerializerWithStringManifest)Context.System.Serialization.FindSerializerForType(typeof(JobDefined));
        Receive<Create>(create => Decide(create.Definition, serializer));
        Receive<Written>(Answer);
    }

    private void Decide(JobDefinition definition, SerializerWithStringManifest serializer)
    {
        if (!JobId.IsValid(definition.Id))
        {
            Sender.Tell(JobReply.Refused(RejectionKind.Invalid, $"id: '{definition.Id}' must be 1 to 128 characters from A-Z, a-z, 0-9, '.', '_' and '-'."));
            return;
        }
        var now = _node.Clock.GetUtcNow();
        var empty = JobState.Empty(JobId.Parse(definition.Id!));
        var decision = JobDecider.Decide(empty, new DefineJob(definition, CreateOnly: true), now);
        if (decision is Rejected rejected)
        {
            Sender.Tell(JobReply.Refused(rejected.Kind, rejected.Message));
            return;
        }
        var defined = (JobDefined)((Accepted)decision).Events.Single();
        var state = empty.Apply(defined);
        var job = new NewJob($"job-{state.Id}", now.UtcDateTime.Ticks, serializer.ToBinary(defined), serializer.Manifest(defined),
            serializer.Identifier, JobIndexRows.For(state, _node.ShardCount, now, triggersChanged: true));
        _batch.Add(new Pending(state, job, Sender));
        // Group commit without a fixed wait: with no write in progress the batch goes at once; while one is in
        // progress, requests gather and go together when it ends.
        if (!_writing || _batch.Count >= MaxBatch) Write();
    }

    private void Write()
    {
        if (_writing || _batch.Count == 0)
            return;
        _writing = true;
        var batch = _batch;
        _batch = new List<Pending>();
        Task.Run(() =>
        {
            try
            {
                return new Written(batch, _store.Create(batch.Select(p => p.Job).ToList()), null);
            }
            catch (Exception e)
            {
                return new Written(batch, null, e);
            }
        }).PipeTo(Self);
    }

    private void Answer(Written written)
    {
        _writing = false;
        if (written.Error is not null)
            Context.GetLogger().Error(written.Error, "Writing {0} new jobs failed; their creators get the error", written.Batch.Count);
        var horizon = _node.Clock.GetUtcNow() + _lookahead;
        for (var i = 0; i < written.Batch.Count; i++)
        {
            var (state, _, replyTo) = written.Batch[i];
            if (written.Error is not null)
                replyTo.Tell(new Status.Failure(written.Error));
            else if (!written.Created![i])
                replyTo.Tell(JobReply.Refused(RejectionKind.Conflict, $"Job '{state.Id}' already exists; use PUT to replace it."));
            else
            {
                replyTo.Tell(JobReply.Of(JobView.From(state)) with { Created = true });
                if (state.NextWakeAt is { } at && at <= horizon)
                    _wakes.Tell(new WakeScheduler.Expect(new DueWake(state.Id.Value, at, state.Generation)));
            }
        }
        Write();
    }
}
