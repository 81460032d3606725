using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;

namespace ActorScheduler.Engine.Tests;

/// <summary>Cases 6 to 9: the run is released, its worker is gone, the job cancels it, the job recovered.</summary>
public sealed partial class PlacementsSpecs
{
    // 6. The worker releases the run.

    [Fact]
    public void Should_free_the_workers_slot_when_the_worker_releases_a_run()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var first = Run(1);
        var second = Run(2);
        placements.Place(first);
        placements.Place(second);
        placements.WorkerUp(W2, WorkerRoles("w2"));
        placements.Place(Run(3)); // on w2: w1 has two runs, w2 one

        placements.Released(first.RunId);
        placements.Released(second.RunId);

        Assert.False(placements.IsPlaced(first.RunId));
        var fourth = Run(4);
        Assert.True(W1 == StartedOn(placements.Place(fourth), fourth), "w1 released both its runs, so it is less busy than w2");
    }

    // 7. The worker is gone.

    [Fact]
    public void Should_report_every_run_placed_on_a_worker_lost_when_the_worker_is_gone()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var onW1 = Run(1, worker: "w1", strict: true);
        var alsoOnW1 = Run(2, worker: "w1", strict: true);
        var onW2 = Run(3, worker: "w2", strict: true);
        placements.Place(onW1);
        placements.Place(alsoOnW1);
        placements.Place(onW2);

        var actions = placements.WorkerGone(W1, "was downed");

        Assert.True(actions.All(a => a is ReportLost), "a gone worker cannot be told to stop anything");
        var lost = actions.Cast<ReportLost>().ToList();
        Assert.Equal([onW1.RunId, alsoOnW1.RunId], lost.Select(l => l.Run.RunId).OrderBy(id => id.Sequence));
        Assert.All(lost, l => Assert.Equal("worker w1 was downed", l.Why));
        Assert.False(placements.IsPlaced(onW1.RunId));
        Assert.True(placements.IsPlaced(onW2.RunId), "runs on other workers are untouched");
        Assert.Equal(1, placements.WorkersUp);
    }

    [Fact]
    public void Should_do_nothing_when_a_worker_already_gone_is_reported_gone_again()
    {
        var placements = With((W1, WorkerRoles("w1")));
        placements.Place(Run(1));
        placements.WorkerGone(W1, "was downed");

        var again = placements.WorkerGone(W1, "left the cluster");

        Assert.Empty(again);
        Assert.Empty(placements.WorkerGone(W3, "left the cluster"));
    }

    // 8. The job cancels the run.

    private static CancelDispatchedRun CancelOf(DispatchRun run, string? worker = null) => new(run.RunId, worker, run.FencingToken);

    [Fact]
    public void Should_report_a_waiting_run_canceled_and_never_start_it_when_it_is_canceled()
    {
        var placements = new Placements();
        var run = Run(1);
        placements.Place(run);

        var actions = placements.Cancel(CancelOf(run));
        var later = placements.WorkerUp(W1, WorkerRoles("w1"));

        Assert.Equal([new ReportCanceled(run.RunId, run.FencingToken, "canceled before it was placed on a worker")], actions);
        Assert.Equal(0, placements.Waiting);
        Assert.True(!later.OfType<SendStart>().Any(), "a canceled run must not be started when a worker comes up");
    }

    [Fact]
    public void Should_stop_a_placed_run_on_its_worker_when_it_is_canceled()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var run = Run(1, worker: "w2", strict: true);
        placements.Place(run);

        var actions = placements.Cancel(CancelOf(run, "w2"));

        Assert.Equal([new SendStop(W2, run.RunId)], actions);
    }

    [Fact]
    public void Should_stop_the_run_on_every_worker_of_that_name_when_a_canceled_run_was_placed_by_another_node()
    {
        // Two nodes configured with the same worker name are told apart by address only.
        var twin = Node(4011);
        var placements = With((W1, WorkerRoles("w1")), (twin, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var elsewhere = Run(7);

        var actions = placements.Cancel(CancelOf(elsewhere, "w1"));

        Assert.Equal(2, actions.Count);
        Assert.Contains(new SendStop(W1, elsewhere.RunId), actions);
        Assert.Contains(new SendStop(twin, elsewhere.RunId), actions);
    }

    [Fact]
    public void Should_stop_it_on_every_worker_and_report_it_canceled_when_a_run_this_dispatcher_never_saw_is_canceled_before_it_started()
    {
        // Another node's dispatcher may have placed it before a fail-over, its start accepted but not yet recorded.
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var unseen = Run(7);

        var actions = placements.Cancel(CancelOf(unseen));

        Assert.Equal([new SendStop(W1, unseen.RunId), new SendStop(W2, unseen.RunId),
            new ReportCanceled(unseen.RunId, unseen.FencingToken, "canceled before it reached a worker")], actions);
    }

    [Fact]
    public void Should_not_place_a_canceled_run_again_but_report_it_canceled_when_its_worker_never_accepted_it()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var run = Run(1);
        var on = StartedOn(placements.Place(run), run);
        placements.Cancel(CancelOf(run));

        var actions = placements.AcceptTimedOut(run.RunId);

        var report = Assert.IsType<ReportCanceled>(Assert.Single(actions));
        Assert.Equal((run.RunId, run.FencingToken), (report.RunId, report.FencingToken));
        Assert.Contains("did not accept", report.Why);
        Assert.False(placements.IsPlaced(run.RunId));
        Assert.True(on == W1 || on == W2);
    }

    [Fact]
    public void Should_not_place_a_canceled_run_elsewhere_but_report_it_canceled_when_its_worker_refuses_it()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var run = Run(1);
        placements.Place(run);
        placements.Cancel(CancelOf(run));

        var actions = placements.Refused(run.RunId, "worker w1 is stopping", full: false);

        Assert.Empty(actions.OfType<SendStart>());
        Assert.Contains("refused it", Assert.Single(actions.OfType<ReportCanceled>()).Why);
    }

    // 9. Reconciliation after a job's recovery.

    [Fact]
    public void Should_report_a_run_lost_when_it_is_reconciled_with_a_worker_not_in_the_cluster()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Run(1);

        var actions = placements.Reconcile(new ReconcileRun(run, RunStatus.Running, "w9"));

        var lost = Assert.IsType<ReportLost>(Assert.Single(actions));
        Assert.Same(run, lost.Run);
        Assert.Contains("w9", lost.Why);
        Assert.False(placements.IsPlaced(run.RunId));
    }

    [Fact]
    public void Should_probe_and_track_a_run_when_it_is_reconciled_with_a_worker_in_the_cluster()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var run = Run(1);

        var actions = placements.Reconcile(new ReconcileRun(run, RunStatus.Running, "w2"));
        var gone = placements.WorkerGone(W2, "left the cluster");

        Assert.Equal([new SendProbe(W2, run.RunId)], actions);
        var lost = Assert.IsType<ReportLost>(Assert.Single(gone));
        Assert.True(lost.Run == run, "a reconciled run is tracked, so its worker leaving reports it lost");
    }

    [Fact]
    public void Should_stop_and_report_a_run_lost_when_its_worker_answers_a_probe_with_unknown()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Run(1);
        placements.Reconcile(new ReconcileRun(run, RunStatus.Running, "w1"));

        var actions = placements.Probed(run.RunId, ProbeAnswer.Unknown);

        Assert.Equal(2, actions.Count);
        Assert.Equal(new SendStop(W1, run.RunId), actions[0]);
        var lost = Assert.IsType<ReportLost>(actions[1]);
        Assert.Same(run, lost.Run);
        Assert.Contains("w1", lost.Why);
        Assert.False(placements.IsPlaced(run.RunId));
    }

    [Theory]
    [InlineData(ProbeAnswer.Running)]
    [InlineData(ProbeAnswer.Finished)]
    public void Should_do_nothing_when_its_worker_answers_a_probe_with_running_or_finished(ProbeAnswer answer)
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Run(1);
        placements.Reconcile(new ReconcileRun(run, RunStatus.Running, "w1"));

        var actions = placements.Probed(run.RunId, answer);

        Assert.Empty(actions);
        Assert.True(placements.IsPlaced(run.RunId), "the run stays tracked until its worker releases it or leaves");
    }

    [Fact]
    public void Should_stop_and_report_a_run_lost_when_its_worker_does_not_answer_a_probe_in_time()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Run(1);
        placements.Reconcile(new ReconcileRun(run, RunStatus.Running, "w1"));

        var actions = placements.ProbeTimedOut(run.RunId);

        Assert.Equal(2, actions.Count);
        Assert.Equal(new SendStop(W1, run.RunId), actions[0]);
        Assert.Contains("w1", Assert.IsType<ReportLost>(actions[1]).Why);
        Assert.True(placements.ProbeTimedOut(run.RunId).Count == 0, "a second time-out finds nothing left to report");
    }

    [Theory]
    [InlineData(ProbeAnswer.Unknown)]
    [InlineData(ProbeAnswer.Running)]
    [InlineData(ProbeAnswer.Finished)]
    public void Should_do_nothing_when_a_probe_is_answered_for_a_run_not_tracked(ProbeAnswer answer)
    {
        var placements = With((W1, WorkerRoles("w1")));

        Assert.Empty(placements.Probed(RunId(1), answer));
    }
}
