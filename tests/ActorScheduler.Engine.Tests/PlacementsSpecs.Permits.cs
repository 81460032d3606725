using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>Concurrency keys at the dispatcher: a keyed run is placed only once granted, and its permit goes back wherever its placement ends.</summary>
public sealed partial class PlacementsSpecs
{
    private static DispatchRun Keyed(int n, string key = "k", int limit = 1) => Run(n) with { Concurrency = new ConcurrencySpec { Key = key, Limit = limit } };

    private static ReturnPermit Returned(DispatchRun run, PermitRelease why) => new(run.RunId, why);

    [Fact]
    public void Should_ask_for_a_permit_and_start_nothing_when_a_run_of_a_concurrency_key_is_placed()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Keyed(1);

        var actions = placements.Place(run);

        Assert.Equal([new AskPermit(run)], actions);
        Assert.False(placements.IsPlaced(run.RunId));
        Assert.Equal(1, placements.AwaitingPermit);
    }

    [Fact]
    public void Should_place_the_run_when_its_permit_is_granted_and_ignore_a_second_grant()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Keyed(1);
        placements.Place(run);

        var granted = placements.PermitGranted(run.RunId);
        var again = placements.PermitGranted(run.RunId);

        Assert.Equal(W1, StartedOn(granted, run));
        Assert.Empty(again);
        Assert.Equal(1, placements.HoldingPermit);
    }

    [Fact]
    public void Should_place_a_run_without_a_key_at_once_when_others_wait_for_permits()
    {
        var placements = With((W1, WorkerRoles("w1")));
        placements.Place(Keyed(1));
        var plain = Run(2);

        Assert.Equal(W1, StartedOn(placements.Place(plain), plain));
    }

    [Fact]
    public void Should_claim_the_permit_with_the_keeper_answering_now_when_a_grant_comes_from_a_replaced_keeper()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Keyed(1);
        placements.Place(run);

        var actions = placements.PermitGranted(run.RunId, confirm: true);

        Assert.Equal(new ClaimPermit("k", run.RunId), actions[0]);
        Assert.Equal(W1, StartedOn(actions, run));
    }

    [Fact]
    public void Should_return_the_permit_once_when_the_worker_releases_the_run()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Keyed(1);
        placements.Place(run);
        placements.PermitGranted(run.RunId);

        var released = placements.Released(run.RunId);
        var twice = placements.Released(run.RunId);

        Assert.Contains(Returned(run, PermitRelease.Ended), released);
        Assert.DoesNotContain(twice, a => a is ReturnPermit);
        Assert.False(placements.HasPermitWork);
    }

    [Fact]
    public void Should_report_the_run_lost_and_return_its_permit_when_its_worker_is_gone()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Keyed(1);
        placements.Place(run);
        placements.PermitGranted(run.RunId);

        var actions = placements.WorkerGone(W1, "was downed");

        Assert.Contains(actions, a => a is ReportLost lost && lost.Run.RunId == run.RunId);
        Assert.Contains(Returned(run, PermitRelease.Lost), actions);
    }

    [Fact]
    public void Should_keep_the_permit_when_a_run_is_placed_again_after_its_worker_did_not_accept_it()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var run = Keyed(1);
        placements.Place(run);
        placements.PermitGranted(run.RunId);

        var actions = placements.AcceptTimedOut(run.RunId);

        Assert.Single(actions.OfType<SendStart>());
        Assert.DoesNotContain(actions, a => a is ReturnPermit or AskPermit);
        Assert.Equal(1, placements.HoldingPermit);
    }

    [Fact]
    public void Should_withdraw_the_request_and_report_the_run_canceled_when_a_run_waiting_for_a_permit_is_canceled()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Keyed(1);
        placements.Place(run);

        var actions = placements.Cancel(CancelOf(run));
        var lateGrant = placements.PermitGranted(run.RunId);

        Assert.Equal(Returned(run, PermitRelease.Canceled), actions[0]);
        Assert.Equal(run.RunId, Assert.IsType<ReportCanceled>(actions[1]).RunId);
        Assert.True(lateGrant.Count == 0, "a grant that crossed the cancel is freed by the release already sent, not placed");
        Assert.False(placements.HasPermitWork);
    }

    [Fact]
    public void Should_return_the_permit_when_a_granted_run_waiting_for_a_worker_is_canceled()
    {
        var placements = With();
        var run = Keyed(1);
        placements.Place(run);
        placements.PermitGranted(run.RunId); // no worker: it waits, holding its permit

        var actions = placements.Cancel(CancelOf(run));

        Assert.Contains(Returned(run, PermitRelease.Canceled), actions);
        Assert.Contains(actions, a => a is ReportCanceled);
    }

    [Fact]
    public void Should_tell_a_new_keeper_the_permits_held_then_the_runs_waiting_in_order()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var held = Keyed(1);
        placements.Place(held);
        placements.PermitGranted(held.RunId);
        var (second, third) = (Keyed(3), Keyed(2));
        placements.Place(second);
        placements.Place(third);

        var claims = placements.PermitClaims();

        Assert.Equal([new ClaimPermit("k", held.RunId), new AskPermit(second), new AskPermit(third), new ClaimsTold()], claims);
    }

    [Fact]
    public void Should_claim_the_permit_of_a_recovered_jobs_running_run_and_free_it_when_its_worker_is_not_in_the_cluster()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var onW1 = Keyed(1);
        var onGone = Keyed(2);

        var probed = placements.Reconcile(new ReconcileRun(onW1, RunStatus.Running, "w1"));
        var lost = placements.Reconcile(new ReconcileRun(onGone, RunStatus.Running, "w9"));

        Assert.Equal([new ClaimPermit("k", onW1.RunId), new SendProbe(W1, onW1.RunId)], probed);
        Assert.Contains(Returned(onGone, PermitRelease.Lost), lost);
        Assert.Contains(Returned(onW1, PermitRelease.Lost), placements.Probed(onW1.RunId, ProbeAnswer.Unknown));
    }

    [Fact]
    public void Should_ask_again_only_for_the_runs_the_keeper_refused_to_queue()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var (refused, queued) = (Keyed(1), Keyed(2));
        placements.Place(refused);
        placements.Place(queued);

        placements.PermitRefused(refused.RunId);

        Assert.Equal([new AskPermit(refused)], placements.AskAgainForRefused());
        Assert.Empty(placements.AskAgainForRefused());
    }

    [Fact]
    public void Should_not_place_a_run_on_an_unreachable_worker_and_place_it_when_the_worker_is_reachable_again()
    {
        // A permit freed by a dead worker's lost run must not send the next run to that worker before it is downed.
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        placements.WorkerReachable(W1, reachable: false);
        var run = Run(1, worker: "w1", strict: true);
        var other = Run(2);

        Assert.Empty(placements.Place(run).OfType<SendStart>());
        Assert.Equal(W2, StartedOn(placements.Place(other), other));
        Assert.Equal(W1, StartedOn(placements.WorkerReachable(W1, reachable: true), run));
    }
}
