using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The dispatcher's bookkeeping without an actor: one or more specs per case in which its placements meet the job's
/// own record of runs in flight (placing, waiting, placement wishes, accept time-out, refusal, release, a worker
/// gone, cancel, reconciliation after a job's recovery). Workers appear the way cluster membership shows them: an
/// address and roles.
/// </summary>
public sealed partial class PlacementsSpecs
{
    private static readonly JobId Job = JobId.Parse("report");

    private static readonly Address W1 = Node(4001);
    private static readonly Address W2 = Node(4002);
    private static readonly Address W3 = Node(4003);

    private static Address Node(int port) => new("akka.tcp", "actor-scheduler", "127.0.0.1", port);

    /// <summary>The roles a worker node carries, spelled as on the wire.</summary>
    private static string[] WorkerRoles(string name, params string[] pools) =>
        ["worker", $"worker-name:{name}", .. pools.Select(p => $"worker-pool:{p}")];

    private static DispatchRun Run(int n, string? worker = null, string? notWorker = null, bool strict = false, long? fencingToken = null) =>
        new(new RunRequest(Job, RunId(n), 1, fencingToken ?? n, DateTimeOffset.UnixEpoch,
            new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } }, null, null), worker, notWorker, strict);

    private static RunId RunId(int n) => new(Job, n);

    private static Placements With(params (Address Address, string[] Roles)[] workers)
    {
        var placements = new Placements();
        foreach (var (address, roles) in workers)
            placements.WorkerUp(address, roles);
        return placements;
    }

    /// <summary>The worker the run was sent to; fails unless exactly one start was asked for.</summary>
    private static Address StartedOn(IReadOnlyList<DispatchAction> actions, DispatchRun run)
    {
        var start = Assert.Single(actions.OfType<SendStart>());
        Assert.Same(run, start.Run);
        return start.Worker;
    }

    // 1. A new run goes to the least busy eligible worker.

    [Fact]
    public void Should_start_a_run_on_the_least_busy_worker_when_a_new_run_is_placed()
    {
        var placements = With((W1, WorkerRoles("w1")));
        placements.Place(Run(1));
        placements.Place(Run(2));
        placements.WorkerUp(W2, WorkerRoles("w2"));
        var third = Run(3);
        var fourth = Run(4);

        var thirdOn = StartedOn(placements.Place(third), third);
        var fourthOn = StartedOn(placements.Place(fourth), fourth);

        Assert.True(thirdOn == W2, "by name and by turn w1 comes first: only its two active runs rule it out");
        Assert.True(placements.IsPlaced(third.RunId));
        Assert.True(fourthOn == W2, "w2 has one run, w1 two: w2 is still the least busy");
    }

    [Fact]
    public void Should_take_turns_among_equally_busy_workers_when_runs_are_placed_one_after_another()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")), (W3, WorkerRoles("w3")));
        var chosen = new List<Address>();

        for (var n = 1; n <= 3; n++)
        {
            var run = Run(n);
            chosen.Add(StartedOn(placements.Place(run), run));
            placements.Released(run.RunId); // every worker is idle again before the next run
        }

        Assert.True(chosen.Distinct().Count() == 3, $"three idle workers should each get one of three runs, got {string.Join(", ", chosen)}");
    }

    // 2. No eligible worker: the run waits until one comes up.

    [Fact]
    public void Should_keep_a_run_waiting_once_with_a_notice_when_no_worker_is_up()
    {
        var placements = new Placements();
        var run = Run(1);

        var first = placements.Place(run);
        var again = placements.Place(run);

        Assert.IsType<Notice>(Assert.Single(first));
        Assert.IsType<Notice>(Assert.Single(again));
        Assert.True(placements.Waiting == 1, "the same run sent twice waits once");
        Assert.False(placements.IsPlaced(run.RunId));
    }

    [Fact]
    public void Should_place_the_waiting_runs_when_a_matching_worker_comes_up()
    {
        var placements = new Placements();
        var any = Run(1);
        var etlOnly = Run(2, worker: "etl", strict: true);
        placements.Place(any);
        placements.Place(any);
        placements.Place(etlOnly);

        var actions = placements.WorkerUp(W1, WorkerRoles("w1", "etl"));

        var starts = actions.OfType<SendStart>().ToList();
        Assert.Equal([new SendStart(W1, any), new SendStart(W1, etlOnly)], starts);
        Assert.Contains(actions, a => a is Notice { Warning: false });
        Assert.Equal(0, placements.Waiting);
        Assert.Equal(1, placements.WorkersUp);
    }

    [Fact]
    public void Should_ignore_a_member_without_the_worker_role_when_it_comes_up()
    {
        var placements = new Placements();
        var run = Run(1);
        placements.Place(run);

        var actions = placements.WorkerUp(W1, ["scheduler", "engine", "worker-name:w1"]);

        Assert.Empty(actions);
        Assert.Equal(0, placements.WorkersUp);
        Assert.True(placements.Waiting == 1, "a scheduler-only member must not take the waiting run");
    }

    [Fact]
    public void Should_keep_a_run_waiting_when_the_worker_that_comes_up_does_not_match()
    {
        var placements = new Placements();
        var run = Run(1, worker: "etl", strict: true);
        placements.Place(run);

        var actions = placements.WorkerUp(W1, WorkerRoles("w1", "web"));

        Assert.DoesNotContain(actions, a => a is SendStart);
        Assert.Equal(1, placements.Waiting);
        Assert.Equal(1, placements.WorkersUp);
    }

    [Fact]
    public void Should_place_the_latest_request_when_a_waiting_run_is_sent_again_with_a_new_fencing_token()
    {
        // A job that recovers sends its pending run again under a new fencing token; a worker that gets the old one
        // has its start report refused as stale, so the old request must not be the one that is placed.
        var placements = new Placements();
        placements.Place(Run(1, fencingToken: 1));
        var resent = Run(1, fencingToken: 2);
        placements.Place(resent);

        var actions = placements.WorkerUp(W1, WorkerRoles("w1"));

        var start = Assert.Single(actions.OfType<SendStart>());
        Assert.True(start.Run.FencingToken == 2,
            $"the run was placed with fencing token {start.Run.FencingToken}; the job only accepts reports under token 2");
    }

    // 3. Placement wishes: worker (node or pool name), strictWorker, notWorker.

    [Fact]
    public void Should_place_a_run_on_a_worker_of_its_pool_when_it_names_a_pool()
    {
        var placements = With((W1, WorkerRoles("w1", "etl")), (W2, WorkerRoles("w2", "web")));
        var first = Run(1, worker: "etl");
        var second = Run(2, worker: "etl");

        var firstOn = StartedOn(placements.Place(first), first);
        var secondOn = StartedOn(placements.Place(second), second);

        Assert.Equal(W1, firstOn);
        Assert.True(secondOn == W1, "the pool's worker takes the run even though the other worker is less busy");
    }

    [Fact]
    public void Should_place_a_run_on_the_worker_of_its_node_name_when_it_names_a_node()
    {
        var placements = With((W1, WorkerRoles("w1")), (W2, WorkerRoles("w2")));
        var run = Run(1, worker: "w2", strict: true);

        Assert.Equal(W2, StartedOn(placements.Place(run), run));
    }

    [Fact]
    public void Should_keep_a_strict_run_waiting_when_no_worker_matches()
    {
        var placements = With((W1, WorkerRoles("w1", "web")));
        var run = Run(1, worker: "etl", strict: true);

        var actions = placements.Place(run);

        Assert.IsType<Notice>(Assert.Single(actions));
        Assert.Equal(1, placements.Waiting);
    }

    [Fact]
    public void Should_fall_back_to_any_worker_when_a_non_strict_run_matches_none()
    {
        var placements = With((W1, WorkerRoles("w1", "web")));
        var run = Run(1, worker: "etl", strict: false);

        Assert.Equal(W1, StartedOn(placements.Place(run), run));
        Assert.Equal(0, placements.Waiting);
    }

    [Fact]
    public void Should_never_place_a_run_on_an_excluded_worker_when_notWorker_is_set()
    {
        var placements = With((W1, WorkerRoles("w1", "etl")), (W2, WorkerRoles("w2")));
        var byName = Run(1, notWorker: "w1");
        var byNameAgain = Run(2, notWorker: "w1");
        var byPool = Run(3, notWorker: "etl");

        Assert.Equal(W2, StartedOn(placements.Place(byName), byName));
        Assert.True(W2 == StartedOn(placements.Place(byNameAgain), byNameAgain), "w1 is idle, but excluded by name");
        Assert.True(W2 == StartedOn(placements.Place(byPool), byPool), "w1 is idle, but excluded by its pool");
    }

    [Fact]
    public void Should_keep_a_run_waiting_when_the_only_worker_is_excluded_even_if_not_strict()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Run(1, worker: "etl", notWorker: "w1", strict: false);

        var actions = placements.Place(run);

        Assert.DoesNotContain(actions, a => a is SendStart);
        Assert.Equal(1, placements.Waiting);
    }

    // 4. The worker does not accept in time.

    [Fact]
    public void Should_place_a_run_again_with_a_warning_when_its_worker_does_not_accept_in_time()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var run = Run(1);
        placements.Place(run);

        var actions = placements.AcceptTimedOut(run.RunId);

        Assert.Equal(2, actions.Count);
        var notice = Assert.IsType<Notice>(actions[0]);
        Assert.True(notice.Warning, "a worker that does not accept is worth a warning");
        Assert.Contains("w1", notice.Text);
        Assert.Equal(new SendStart(W1, run), actions[1]);
        Assert.True(placements.IsPlaced(run.RunId));
    }

    [Fact]
    public void Should_do_nothing_when_an_accept_times_out_for_a_run_not_placed_here()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var released = Run(2);
        placements.Place(released);
        placements.Released(released.RunId);

        Assert.Empty(placements.AcceptTimedOut(RunId(1)));
        Assert.Empty(placements.AcceptTimedOut(released.RunId));
    }

    // 5. A stopping worker refuses the run.

    [Fact]
    public void Should_stop_giving_runs_to_a_worker_and_place_the_run_elsewhere_when_a_stopping_worker_refuses_it()
    {
        var placements = With((W1, WorkerRoles("w1")));
        var first = Run(1);
        var second = Run(2);
        placements.Place(first);
        placements.Place(second);
        placements.WorkerUp(W2, WorkerRoles("w2"));

        var firstRefusal = placements.Refused(first.RunId, "node stopping", full: false);
        var secondRefusal = placements.Refused(second.RunId, "node stopping", full: false);

        Assert.Equal(2, firstRefusal.Count);
        Assert.Contains("w1", Assert.IsType<Notice>(firstRefusal[0]).Text);
        Assert.Equal(new SendStart(W2, first), firstRefusal[1]);
        Assert.True(secondRefusal.SequenceEqual([new SendStart(W2, second)]), "the worker is announced as stopping once only");
        var third = Run(3);
        Assert.True(W2 == StartedOn(placements.Place(third), third), "w1 is idle now but stopping: it gets no more runs");
        Assert.Empty(placements.Refused(RunId(9), "node stopping", full: false));
    }
}
