using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// Bounded work at the dispatcher: a worker's slots, a worker that says it is full (other dispatchers' runs fill it
/// too), the node's catch-up budget, and the bound on how much of the queue one freed slot scans.
/// </summary>
public sealed partial class PlacementsSpecs
{
    private static string[] WorkerWithSlots(string name, int slots) => [.. WorkerRoles(name), $"worker-slots:{slots}"];

    private static DispatchRun CatchUp(int n) => Run(n) with { Trigger = RunTrigger.CatchUp };

    [Fact]
    public void Should_queue_a_run_when_every_slot_of_its_workers_is_taken_and_start_it_when_one_is_released()
    {
        var placements = With((W1, WorkerWithSlots("w1", 2)));
        placements.Place(Run(1));
        placements.Place(Run(2));
        var third = Run(3);

        var waiting = placements.Place(third);
        var queued = placements.Waiting;
        var released = placements.Released(RunId(1));

        Assert.Contains("free slot", Assert.IsType<Notice>(Assert.Single(waiting)).Text);
        Assert.Equal(1, queued);
        Assert.True(W1 == StartedOn(released, third), "the released slot goes to the queued run");
        Assert.Equal(0, placements.Waiting);
    }

    [Fact]
    public void Should_send_a_run_that_prefers_a_full_worker_to_another_one()
    {
        var placements = With((W1, WorkerWithSlots("w1", 1)), (W2, WorkerWithSlots("w2", 1)));
        placements.Place(Run(1, worker: "w1"));
        var preferring = Run(2, worker: "w1");
        var strict = Run(3, worker: "w1", strict: true);

        Assert.True(W2 == StartedOn(placements.Place(preferring), preferring), "w1 is full: a preference is not a requirement");
        Assert.Empty(placements.Place(strict).OfType<SendStart>());
        Assert.True(W1 == StartedOn(placements.Released(RunId(1)), strict), "a strict run waits for its own worker");
    }

    [Fact]
    public void Should_not_send_runs_to_a_worker_that_said_it_is_full_until_the_dispatcher_tries_again()
    {
        var placements = With((W1, WorkerWithSlots("w1", 10)));
        var first = Run(1);
        placements.Place(first);

        var refusal = placements.Refused(first.RunId, "all 10 slots are taken", full: true);
        var second = Run(2);
        var meanwhile = placements.Place(second);
        var retried = placements.RetryFull();

        Assert.Empty(refusal.OfType<SendStart>());
        Assert.Empty(meanwhile.OfType<SendStart>());
        Assert.DoesNotContain(refusal.OfType<Notice>(), n => n.Text.Contains("stopping"));
        Assert.Equal([first.RunId, second.RunId], retried.OfType<SendStart>().Select(s => s.Run.RunId));
        Assert.Empty(placements.RetryFull());
    }

    [Fact]
    public void Should_place_at_most_the_catch_up_budget_of_catch_up_runs_at_once_while_other_runs_go_ahead()
    {
        var placements = new Placements(maxCatchUpInFlight: 2);
        placements.WorkerUp(W1, WorkerRoles("w1"));
        var started = Enumerable.Range(1, 5).SelectMany(n => placements.Place(CatchUp(n))).OfType<SendStart>().ToList();
        var manual = Run(6);

        var manualOn = StartedOn(placements.Place(manual), manual);
        var afterOne = placements.Released(RunId(1));

        Assert.Equal(2, started.Count);
        Assert.True(manualOn == W1, "the budget holds back catch-up runs only");
        Assert.Equal(RunId(3), Assert.Single(afterOne.OfType<SendStart>()).Run.RunId);
        Assert.Equal(2, placements.Waiting);
    }

    [Fact]
    public void Should_count_backfill_runs_against_the_catch_up_budget()
    {
        var placements = new Placements(maxCatchUpInFlight: 2);
        placements.WorkerUp(W1, WorkerRoles("w1"));
        var catchUp = placements.Place(CatchUp(1)).OfType<SendStart>().ToList();

        var backfills = Enumerable.Range(2, 3).SelectMany(n => placements.Place(Run(n) with { Trigger = RunTrigger.Backfill })).OfType<SendStart>().ToList();

        Assert.Single(catchUp);
        Assert.True(backfills.Count == 1, "one catch-up run and one backfill run fill a budget of two");
        Assert.Equal(2, placements.Waiting);
    }

    [Fact]
    public void Should_stop_scanning_the_queue_after_a_bounded_number_of_runs_that_still_do_not_fit()
    {
        var placements = With((W1, WorkerWithSlots("w1", 1)), (W2, WorkerWithSlots("w2", 1)));
        placements.Place(Run(1, worker: "w1", strict: true));
        placements.Place(Run(2, worker: "w2", strict: true));
        for (var n = 0; n < Placements.QueueScan; n++)
            placements.Place(Run(100 + n, worker: "w1", strict: true));
        var forW2 = Run(1000, worker: "w2", strict: true);
        placements.Place(forW2);

        var released = placements.Released(RunId(2));
        var afterW1 = placements.Released(RunId(1));

        Assert.Empty(released.OfType<SendStart>());
        Assert.Contains(released.OfType<Notice>(), n => n.Text.Contains($"{Placements.QueueScan} queued runs"));
        Assert.Equal([RunId(100), forW2.RunId], afterW1.OfType<SendStart>().Select(s => s.Run.RunId));
        Assert.Equal(Placements.QueueScan - 1, placements.Waiting);
    }

    [Fact]
    public void Should_offer_a_slot_to_a_queued_run_whenever_one_frees_whatever_freed_it()
    {
        var placements = With((W1, WorkerWithSlots("w1", 1)));
        DispatchRun Occupy(int n)
        {
            var run = Run(n);
            StartedOn(placements.Place(run), run);
            return run;
        }

        var canceled = Occupy(1);
        var afterCancel = Run(2);
        placements.Place(afterCancel);
        placements.Cancel(new CancelDispatchedRun(canceled.RunId, null, canceled.FencingToken));
        var acceptTimedOut = placements.AcceptTimedOut(canceled.RunId);

        placements.Reconcile(new ReconcileRun(Run(3), RunStatus.Running, "w1"));
        var afterProbe = Run(4);
        placements.Place(afterProbe);
        placements.Released(afterCancel.RunId);
        var probed = placements.Probed(RunId(3), ProbeAnswer.Unknown);

        Assert.True(W1 == StartedOn(acceptTimedOut, afterCancel), "a canceled run that was never accepted frees its slot");
        Assert.True(W1 == StartedOn(probed, afterProbe), "a run its worker no longer has frees its slot");
    }

    [Fact]
    public void Should_not_let_catch_up_runs_held_back_by_the_budget_stand_in_the_way_of_other_queued_runs()
    {
        var placements = new Placements(maxCatchUpInFlight: 2);
        placements.WorkerUp(W1, WorkerWithSlots("w1", 3));
        for (var n = 1; n <= 2 + Placements.QueueScan + 16; n++)
            placements.Place(CatchUp(n));
        var manual = Run(1000);
        var occupying = Run(1001);
        StartedOn(placements.Place(occupying), occupying);
        placements.Place(manual);

        var released = placements.Released(occupying.RunId);
        var afterCatchUp = placements.Released(RunId(1));

        Assert.True(W1 == StartedOn(released, manual), "the freed slot goes to the manual run, not to catch-up runs the budget holds back");
        Assert.Equal(RunId(3), Assert.Single(afterCatchUp.OfType<SendStart>()).Run.RunId);
    }
}
