using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client.Tests;

/// <summary>Contact points that do not answer, reply channels that time out, and a contact node that dies.</summary>
public sealed class ClientConnectionSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string DeadAddress() => $"akka.tcp://actor-scheduler@127.0.0.1:{ClientNode.FreePort()}";

    [Fact]
    public async Task Should_work_when_the_first_contact_point_is_dead()
    {
        await using var node = await ClientNode.StartAsync();
        await using var client = node.Client(options => options with { ContactPoints = [DeadAddress(), node.Address] });
        var id = JobId.Parse("dead-first");

        await client.CreateAsync(Definitions.OnDemand(id.Value, "noop"));
        var run = await client.WaitForRunAsync(await client.TriggerAsync(id), Patience);

        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    [Fact]
    public async Task Should_name_the_contact_points_when_no_node_answers()
    {
        var dead = DeadAddress();
        var options = new ActorSchedulerClientOptions { ContactPoints = [dead], RequestTimeout = TimeSpan.FromSeconds(2) };

        var unavailable = await Assert.ThrowsAsync<SchedulerUnavailableException>(() => ActorSchedulerClient.ConnectAsync(options));

        Assert.Contains(dead, unavailable.Message);
        Assert.Equal([dead], unavailable.ContactPoints);
    }

    [Fact]
    public void Should_refuse_a_contact_point_that_is_not_a_node_address()
    {
        var options = new ActorSchedulerClientOptions { ContactPoints = ["localhost:4053"] };

        var refused = Assert.Throws<ArgumentException>(() => new ActorSchedulerClient(options));

        Assert.Contains("localhost:4053", refused.Message);
    }

    [Fact]
    public async Task Should_keep_a_subscription_beyond_the_reply_channel_s_idle_timeout()
    {
        await using var node = await ClientNode.StartAsync(extraHocon: "akka.cluster.client.receptionist.response-tunnel-receive-timeout = 1s");
        await using var client = node.Client(options => options with { KeepAliveInterval = TimeSpan.FromMilliseconds(300) });
        var id = JobId.Parse("quiet-then-run");
        await client.CreateAsync(Definitions.OnDemand(id.Value, "noop"));
        await using var subscription = await client.SubscribeAsync(id);

        // Several idle timeouts pass with nothing to push: only the renewals keep the channel open.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var runId = await client.TriggerAsync(id);
        var run = await NextRun(subscription);

        Assert.Equal(runId.ToString(), run.RunId);
    }

    [Fact]
    public async Task Should_move_to_another_node_and_keep_its_subscription_when_its_contact_node_dies()
    {
        await using var scheduler = await ClientNode.StartAsync();
        // The node the client first talks to only needs the service and the receptionist; a worker node has both
        // here and, unlike a second scheduler or gateway, shares no database with the first node.
        await using var contact = await ClientNode.StartAsync(roles: "[worker]", seed: scheduler, workerName: "contact-worker");
        await using var client = contact.Client(options => options with { KeepAliveInterval = TimeSpan.FromSeconds(1) });
        var id = JobId.Parse("survives-failover");
        // Runs stay on the surviving node's worker: a run on the dying one would end "lost", which is not under test.
        await client.CreateAsync(Definitions.OnDemand(id.Value, "noop",
            $", \"overlap\": \"allow\", \"worker\": \"{ClientNode.WorkerName}\", \"strictWorker\": true"));
        await using var subscription = await client.SubscribeAsync(id);
        await TriggerUntilStreamed(client, id, subscription, afterSequence: 0);
        var servedBefore = await client.PingAsync();

        await contact.DisposeAsync();
        var servedAfter = await Eventually.Get(() => client.PingAsync(), node => node == scheduler.Address, "the client to reach the surviving node");
        var firstAfter = await client.TriggerAsync(id);
        await client.WaitForRunAsync(firstAfter, Patience);
        var streamedAfter = await TriggerUntilStreamed(client, id, subscription, afterSequence: firstAfter.Sequence);

        Assert.Equal(contact.Address, servedBefore);
        Assert.Equal(scheduler.Address, servedAfter);
        Assert.Equal(RunStatus.Succeeded, streamedAfter.Status);
    }

    /// <summary>
    /// Triggers the job until a run numbered after <paramref name="afterSequence"/> arrives on the subscription: a
    /// node's topic subscription reaches the other nodes by gossip, and a run that finishes before then is not
    /// streamed (outcomes are at-most-once across nodes and reconnects, as documented).
    /// </summary>
    private static async Task<RunView> TriggerUntilStreamed(ActorSchedulerClient client, JobId id, RunSubscription subscription, long afterSequence)
    {
        using var patience = new CancellationTokenSource(Patience);
        await using var runs = subscription.GetAsyncEnumerator(patience.Token);
        Task<bool>? next = null;
        while (true)
        {
            await client.TriggerAsync(id, cancel: patience.Token);
            var pause = Task.Delay(TimeSpan.FromSeconds(2), patience.Token);
            while (await Task.WhenAny(next ??= runs.MoveNextAsync().AsTask(), pause) == next)
            {
                if (!await next)
                    throw new Xunit.Sdk.XunitException("The subscription ended.");
                next = null;
                if (RunId.TryParse(runs.Current.RunId, out var runId) && runId.Sequence > afterSequence)
                    return runs.Current;
            }
        }
    }

    private static async Task<RunView> NextRun(RunSubscription subscription)
    {
        using var patience = new CancellationTokenSource(Patience);
        await foreach (var run in subscription.WithCancellation(patience.Token))
            return run;
        throw new Xunit.Sdk.XunitException("The subscription ended without a run.");
    }
}
