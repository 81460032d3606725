using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// The create path (POST): new jobs are decided with the same pure <see cref="JobDecider"/> and written in batches
/// through the node's one journal writer (<see cref="EngineStore.Writer"/>) — each job's first journal event and its
/// index row in one transaction — without starting an entity or running a per-job recovery query. The entity
/// recovers from that event when the job is first woken or asked. An id that already has a journal is answered 409,
/// as the entity would.
/// </summary>
public sealed class JobCreator : ReceiveActor
{
    public const string Name = "job-creator";

    /// <summary>New jobs per write at most; requests beyond it wait for the next one.</summary>
    public const int MaxBatch = 1_000;

    private sealed record Pending(JobState State, JobEffects Effects, NewJob Job, IActorRef ReplyTo);

    private sealed record Written(IReadOnlyList<Pending> Batch, WriteOutcome Outcome);

    private readonly EngineStore _store;
    private readonly IActorRef _wakes;
    private readonly TimeProvider _clock;
    private readonly int _shardCount;
    private readonly TimeSpan _lookahead;
    private List<Pending> _batch = new();
    private bool _writing;

    /// <param name="wakes">The wake-up scheduler, told of new jobs due before its next read of the index.</param>
    /// <param name="lookahead">How far ahead the wake-up scheduler reads the index.</param>
    public static Props Props(EngineStore store, IActorRef wakes, TimeProvider clock, int shardCount, TimeSpan lookahead) =>
        Akka.Actor.Props.Create(() => new JobCreator(store, wakes, clock, shardCount, lookahead));

    public JobCreator(EngineStore store, IActorRef wakes, TimeProvider clock, int shardCount, TimeSpan lookahead)
    {
        (_store, _wakes, _clock, _shardCount, _lookahead) = (store, wakes, clock, shardCount, lookahead);
        Receive<CreateJob>(create => Decide(create));
        Receive<Written>(Answer);
    }

    private void Decide(CreateJob create)
    {
        var definition = create.Definition;
        if (!JobId.IsValid(definition.Id))
        {
            Sender.Tell(new JobRefused(RejectionKind.Invalid, $"id: {JobId.Problem(definition.Id)}"));
            return;
        }
        var now = _clock.GetUtcNow();
        var empty = JobState.Empty(JobId.Parse(definition.Id!));
        var decision = JobDecider.Decide(empty, new DefineJob(definition, CreateOnly: true) { By = create.By }, now);
        if (decision is Rejected rejected)
        {
            Sender.Tell(new JobRefused(rejected.Kind, rejected.Message));
            return;
        }
        var defined = (JobDefined)((Accepted)decision).Events.Single();
        var state = empty.Apply(defined);
        var effects = JobEffects.After(empty, state, [defined], now, _shardCount);
        var job = new NewJob(_store.Encode(JobPersistenceId.Of(state.Id), 1, now.UtcDateTime.Ticks, defined), effects.IndexRow);
        _batch.Add(new Pending(state, effects, job, Sender));
        // Group commit without a fixed wait: with no write in progress the batch goes at once; while one is in
        // progress, requests gather and go together when it ends.
        if (!_writing || _batch.Count >= MaxBatch)
            Write();
    }

    private void Write()
    {
        if (_writing || _batch.Count == 0)
            return;
        _writing = true;
        var batch = _batch;
        _batch = new List<Pending>();
        _store.Writer.Enqueue(new CreateJobs(batch.ConvertAll(pending => pending.Job)))
            .PipeTo(Self, success: outcome => new Written(batch, outcome), failure: error => new Written(batch, new WriteFailed(error)));
    }

    private void Answer(Written written)
    {
        _writing = false;
        if (written.Outcome is WriteFailed failed)
        {
            Context.GetLogger().Error(failed.Error, "Writing {0} new jobs failed; their creators get the error", written.Batch.Count);
            foreach (var pending in written.Batch)
                pending.ReplyTo.Tell(new Status.Failure(failed.Error));
        }
        else
        {
            var created = ((JobsCreated)written.Outcome).Created;
            var horizon = _clock.GetUtcNow() + _lookahead;
            for (var i = 0; i < written.Batch.Count; i++)
                Created(written.Batch[i], created[i], horizon);
        }
        Write();
    }

    private void Created(Pending pending, bool created, DateTimeOffset horizon)
    {
        var (state, effects, _, replyTo) = pending;
        if (!created)
        {
            replyTo.Tell(new JobRefused(RejectionKind.Conflict, $"Job '{state.Id}' already exists; use PUT to replace it."));
            return;
        }
        replyTo.Tell(new JobAccepted(JobView.From(state), Created: true));
        if (effects.WakeAt is { } at && at <= horizon)
            _wakes.Tell(new ExpectWake(new DueWake(state.Id, at, state.Generation)));
    }
}
