using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client.Tests;

/// <summary>One all-in-one node and one client for every spec of <see cref="ClientSpecs"/> (each spec uses its own job ids).</summary>
public sealed class SharedClientNode : IAsyncLifetime
{
    public ClientNode Node { get; private set; } = null!;
    public ActorSchedulerClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await ClientNode.StartAsync();
        Client = await ActorSchedulerClient.ConnectAsync(new ActorSchedulerClientOptions { ContactPoints = [Node.Address] });
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Node.DisposeAsync();
    }
}

/// <summary>The client's calls against a real node over loopback sockets: answers, refusals and run outcomes.</summary>
public sealed class ClientSpecs(SharedClientNode shared) : IClassFixture<SharedClientNode>
{
    /// <summary>Generous: a bound for a loaded machine, not a claim about speed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ActorSchedulerClient Client => shared.Client;

    [Fact]
    public async Task Should_create_a_job_and_refuse_the_same_id_again_with_a_conflict()
    {
        var created = await Client.CreateAsync(Definitions.OnDemand("create-once"));

        var conflict = await Assert.ThrowsAsync<JobConflictException>(() => Client.CreateAsync(Definitions.OnDemand("create-once")));

        Assert.Equal("create-once", created.Id);
        Assert.Equal(JobStatus.Waiting, created.Status);
        Assert.Equal(RejectionKind.Conflict, conflict.Kind);
        Assert.Contains("create-once", conflict.Message);
    }

    [Fact]
    public async Task Should_trigger_a_job_and_wait_for_the_run_s_result()
    {
        var id = JobId.Parse("echo-wait");
        await Client.CreateAsync(Definitions.OnDemand(id.Value));

        var runId = await Client.TriggerAsync(id, JsonDocument.Parse("""{ "order": 42 }""").RootElement);
        var run = await Client.WaitForRunAsync(runId, Patience);

        Assert.Equal(id, runId.Job);
        Assert.Equal(runId.ToString(), run.RunId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(RunTrigger.Manual, run.Trigger);
        Assert.Contains("\"order\":42", run.Output!.Replace(" ", ""));
    }

    [Fact]
    public async Task Should_answer_at_once_a_wait_for_a_run_that_finished_before_the_wait()
    {
        var id = JobId.Parse("finished-first");
        await Client.CreateAsync(Definitions.OnDemand(id.Value, "noop"));
        var runId = await Client.TriggerAsync(id);
        await Eventually.Get(() => Client.GetRunAsync(runId), run => run.Status.IsFinished(), "the run to finish");

        var waited = await Client.WaitForRunAsync(runId, Patience);

        Assert.Equal(RunStatus.Succeeded, waited.Status);
    }

    [Fact]
    public async Task Should_report_a_failed_run_with_its_error()
    {
        var id = JobId.Parse("always-fails");
        await Client.CreateAsync(Definitions.OnDemand(id.Value, "fail"));

        var run = await Client.WaitForRunAsync(await Client.TriggerAsync(id), Patience);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("boom", run.Error);
    }

    [Fact]
    public async Task Should_answer_a_wait_with_the_last_attempt_when_the_retry_policy_repeats_a_failed_one()
    {
        var id = JobId.Parse("fails-once");
        await Client.CreateAsync(Definitions.OnDemand(id.Value, "fail-once", """, "retry": { "maxAttempts": 3, "delay": "PT0.2S" }"""));
        var first = await Client.TriggerAsync(id);

        var final = await Client.WaitForRunAsync(first, Patience);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempt);
        Assert.Equal(first.ToString(), final.RetryOf);
        Assert.Equal(RunStatus.Failed, (await Client.GetRunAsync(first)).Status);
    }

    [Fact]
    public async Task Should_refuse_an_invalid_definition_naming_the_offending_fields_before_sending_it()
    {
        var noRunner = Definitions.Parse("""{ "id": "no-runner", "schedule": { "cron": "not a cron" } }""");

        var invalid = await Assert.ThrowsAsync<InvalidJobException>(() => Client.CreateAsync(noRunner));
        var replaced = await Assert.ThrowsAsync<InvalidJobException>(() => Client.ReplaceAsync(noRunner with { Id = "bad id!" }));

        Assert.Equal(RejectionKind.Invalid, invalid.Kind);
        Assert.Contains(invalid.Errors, e => e.StartsWith("run", StringComparison.Ordinal));
        Assert.Contains(invalid.Errors, e => e.StartsWith("schedule", StringComparison.Ordinal));
        Assert.Contains(replaced.Errors, e => e.StartsWith("id", StringComparison.Ordinal));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.GetAsync(JobId.Parse("no-runner")));
    }

    [Fact]
    public async Task Should_pass_on_the_server_s_refusal_of_invalid_input_with_its_reason()
    {
        var id = JobId.Parse("reschedule-past");
        await Client.CreateAsync(Definitions.Nightly(id.Value));

        var invalid = await Assert.ThrowsAsync<InvalidJobException>(() => Client.RescheduleAsync(id, DateTimeOffset.UtcNow.AddDays(-1)));

        Assert.Contains("in the past", invalid.Message);
    }

    [Fact]
    public async Task Should_queue_a_backfill_of_past_nights_and_refuse_a_range_reaching_into_the_future()
    {
        var id = JobId.Parse("backfill-nights");
        await Client.CreateAsync(Definitions.Nightly(id.Value));
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);

        var queued = await Client.BackfillAsync(id, today.AddDays(-3), today);
        var invalid = await Assert.ThrowsAsync<InvalidJobException>(() => Client.BackfillAsync(id, today, DateTimeOffset.UtcNow.AddDays(1)));

        Assert.Equal(new BackfillQueued(3, today.AddDays(-3).AddHours(2.5), today.AddDays(-1).AddHours(2.5)), queued);
        Assert.Contains("future", invalid.Message);
    }

    [Fact]
    public async Task Should_schedule_a_dated_edit_show_it_pending_and_withdraw_it()
    {
        var id = JobId.Parse("dated-edit");
        await Client.CreateAsync(Definitions.Nightly(id.Value));
        var later = Definitions.Nightly(id.Value) with { Tags = ["next-quarter"] };

        var pending = await Client.ReplaceAtAsync(later, DateTimeOffset.UtcNow.AddDays(30));
        var dropped = await Client.DropPendingEditAsync(id);

        Assert.Null(pending.Definition.Tags);
        Assert.Equal(["next-quarter"], pending.PendingEdit!.Definition.Tags!);
        Assert.Equal("embedded-client", pending.PendingEdit.By);
        Assert.Null(dropped.PendingEdit);
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.DropPendingEditAsync(id));
    }

    [Fact]
    public async Task Should_diff_apply_and_list_a_board_and_refuse_an_invalid_one_naming_the_field()
    {
        const string board = """
            { "board": "client-board", "defaults": { "tags": ["from-board"] },
              "jobs": [ { "id": "client-board-a", "run": { "shell": { "command": ["true"] } } },
                        { "id": "client-board-b", "run": { "shell": { "command": ["true"] } } } ] }
            """;

        var diff = await Client.DiffBoardAsync(board);
        var applied = await Client.ApplyBoardAsync(board);
        var again = await Client.ApplyBoardAsync(board);
        var listed = await Client.ListBoardsAsync();
        var invalid = await Assert.ThrowsAsync<InvalidJobException>(() =>
            Client.ApplyBoardAsync("""{ "board": "client-board", "jobs": [ { "id": "client-board-c", "run": { "shell": { "command": [] } } } ] }"""));

        Assert.Equal(["client-board-a", "client-board-b"], diff.Changes.Create);
        Assert.Equal(["client-board-a", "client-board-b"], applied.Changes.Create);
        Assert.Equal(["client-board-a", "client-board-b"], again.Changes.Unchanged);
        Assert.Equal(["from-board"], (await Client.GetAsync(JobId.Parse("client-board-a"))).Definition.Tags!);
        Assert.Equal(2, Assert.Single(listed, b => b.Name == "client-board").Jobs);
        Assert.Contains("jobs[0].run.shell.command", invalid.Message);
    }

    [Fact]
    public async Task Should_report_unknown_jobs_and_runs_as_not_found()
    {
        var unknown = JobId.Parse("never-defined");
        await Client.CreateAsync(Definitions.OnDemand("never-run"));

        var get = await Assert.ThrowsAsync<JobNotFoundException>(() => Client.GetAsync(unknown));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.TriggerAsync(unknown));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.GetRunAsync(new RunId(unknown, 1)));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.SubscribeAsync(unknown));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.WaitForRunAsync(new RunId(unknown, 1), Patience));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.WaitForRunAsync(new RunId(JobId.Parse("never-run"), 1), Patience));

        Assert.Equal(RejectionKind.NotFound, get.Kind);
        Assert.Contains("never-defined", get.Message);
    }

    [Fact]
    public async Task Should_pause_resume_replace_list_and_cancel_a_job()
    {
        var id = JobId.Parse("life-cycle");
        await Client.CreateAsync(Definitions.Nightly(id.Value));

        var paused = await Client.PauseAsync(id, "maintenance");
        var resumed = await Client.ResumeAsync(id);
        var replaced = await Client.ReplaceAsync(Definitions.Nightly(id.Value) with { Tags = ["client-life-cycle"] });
        var listed = await Eventually.Get(() => Client.ListAsync(new JobListFilter(Tag: "client-life-cycle")),
            page => page.Items.Count == 1, "the replaced job under its new tag");
        var canceled = await Client.CancelAsync(id, "no longer needed");

        Assert.Equal((JobStatus.Paused, "maintenance"), (paused.Status, paused.PausedReason));
        Assert.Equal(JobStatus.Scheduled, resumed.Status);
        Assert.Equal(["client-life-cycle"], replaced.Definition.Tags!);
        Assert.Equal(id.Value, listed.Items[0].Id);
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Equal(JobStatus.Canceled, (await Client.GetAsync(id)).Status);
    }

    [Fact]
    public async Task Should_stream_the_outcomes_of_a_job_firing_every_second()
    {
        var id = JobId.Parse("every-second");
        await Client.CreateAsync(Definitions.EverySecond(id.Value));
        using var patience = new CancellationTokenSource(Patience);

        await using var subscription = await Client.SubscribeAsync(id, patience.Token);
        var runs = new List<RunView>();
        await foreach (var run in subscription.WithCancellation(patience.Token))
        {
            runs.Add(run);
            if (runs.Count == 3)
                break;
        }
        await Client.CancelAsync(id);

        Assert.All(runs, run => Assert.Equal((id.Value, RunStatus.Succeeded, RunTrigger.Schedule), (run.JobId, run.Status, run.Trigger)));
        Assert.Equal(3, runs.Select(run => run.RunId).Distinct().Count());
    }

    [Fact]
    public async Task Should_list_a_job_s_runs_and_cancel_a_finished_one_without_change()
    {
        var id = JobId.Parse("runs-listed");
        await Client.CreateAsync(Definitions.OnDemand(id.Value, "noop"));
        var runId = await Client.TriggerAsync(id);
        await Client.WaitForRunAsync(runId, Patience);

        var runs = await Client.GetRunsAsync(id);
        var canceled = await Client.CancelRunAsync(runId);

        Assert.Equal([runId.ToString()], runs.Select(run => run.RunId));
        Assert.Equal(RunStatus.Succeeded, canceled.Status);
    }
}
