using System.Text.Json;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Queues;

namespace ActorScheduler.Client.Tests;

/// <summary>Work queues through the client: the same items and refusals as <c>/api/v1/queues</c>, over the cluster client.</summary>
public sealed class ClientQueueSpecs(SharedClientNode shared) : IClassFixture<SharedClientNode>
{
    private ActorSchedulerClient Client => shared.Client;

    private static string NewQueue() => $"client-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task Should_add_read_change_and_delete_an_item()
    {
        var queue = NewQueue();

        var added = await Client.AddQueueItemAsync(queue, Json("""{ "file": "a.csv" }"""));
        var read = await Client.GetQueueItemAsync(queue, added.Id);
        var changed = await Client.UpdateQueueItemAsync(queue, added.Id, new QueueItemChange(Status: "done", Data: Json("""{ "file": "a.csv", "rows": 3 }""")));
        await Client.DeleteQueueItemAsync(queue, added.Id);

        Assert.Equal(("pending", 1L, """{"file":"a.csv"}"""), (read.Status, read.Version, QueueRules.Compact(read.Data)));
        Assert.Equal(("done", 2L, """{"file":"a.csv","rows":3}"""), (changed.Status, changed.Version, QueueRules.Compact(changed.Data)));
        var gone = await Assert.ThrowsAsync<JobNotFoundException>(() => Client.GetQueueItemAsync(queue, added.Id));
        Assert.Contains(added.Id, gone.Message);
        await Assert.ThrowsAsync<JobNotFoundException>(() => Client.DeleteQueueItemAsync(queue, added.Id));
    }

    [Fact]
    public async Task Should_page_through_the_items_of_a_status_newest_first_once_each()
    {
        var queue = NewQueue();
        var pending = new List<QueueItem>();
        for (var i = 0; i < 7; i++)
        {
            pending.Add(await Client.AddQueueItemAsync(queue, Json($$"""{ "n": {{i}} }""")));
            await Client.AddQueueItemAsync(queue, status: "done");
        }

        var paged = new List<QueueItem>();
        string? after = null;
        do
        {
            var page = await Client.ListQueueItemsAsync(queue, new QueueItemFilter("pending", QueueSort.CreatedAtDescending, Limit: 3, After: after));
            paged.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);

        var expected = pending.OrderByDescending(item => item.CreatedAt).ThenByDescending(item => item.Id, StringComparer.Ordinal).Select(item => item.Id);
        Assert.Equal(expected, paged.Select(item => item.Id));
        var summary = Assert.Single(await Client.ListQueuesAsync(), q => q.Name == queue);
        Assert.Equal(new Dictionary<string, long> { ["done"] = 7, ["pending"] = 7 }, summary.Counts);
    }

    [Fact]
    public async Task Should_answer_a_page_of_large_items_in_parts_small_enough_for_the_transport()
    {
        var queue = NewQueue();
        var added = new List<string>();
        for (var i = 0; i < 4; i++) // four times 60 KB: more than one remoting frame holds
            added.Add((await Client.AddQueueItemAsync(queue, Json($$"""{ "n": {{i}}, "blob": "{{new string('x', 60_000)}}" }"""))).Id);

        var pages = new List<IReadOnlyList<QueueItem>>();
        string? after = null;
        do
        {
            var page = await Client.ListQueueItemsAsync(queue, new QueueItemFilter(Limit: 10, After: after));
            pages.Add(page.Items);
            after = page.Next;
        } while (after is not null);

        Assert.Equal(added, pages.SelectMany(page => page).Select(item => item.Id));
        Assert.True(pages.Count > 1, "a page of 240 KB must come in parts");
    }

    [Fact]
    public async Task Should_refuse_a_change_when_the_item_no_longer_has_the_expected_status_or_version()
    {
        var queue = NewQueue();
        var item = await Client.AddQueueItemAsync(queue);
        await Client.UpdateQueueItemAsync(queue, item.Id, new QueueItemChange(Status: "running", ExpectStatus: "pending"));

        var taken = await Assert.ThrowsAsync<JobConflictException>(() =>
            Client.UpdateQueueItemAsync(queue, item.Id, new QueueItemChange(Status: "running", ExpectStatus: "pending")));
        var stale = await Assert.ThrowsAsync<StaleRequestException>(() =>
            Client.UpdateQueueItemAsync(queue, item.Id, new QueueItemChange(Status: "done", ExpectVersion: 1)));

        Assert.Contains("expectStatus", taken.Message);
        Assert.Contains("version", stale.Message);
        Assert.Equal(("running", 2L), await Read(queue, item.Id));
    }

    [Fact]
    public async Task Should_take_each_pending_item_once_when_workers_take_at_the_same_time()
    {
        var queue = NewQueue();
        var added = new List<string>();
        for (var i = 0; i < 6; i++)
            added.Add((await Client.AddQueueItemAsync(queue, Json($$"""{ "n": {{i}} }"""))).Id);

        var taken = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            var mine = new List<string>();
            while (await Client.TakeQueueItemAsync(queue) is { } item)
                mine.Add(item.Id);
            return mine;
        }));

        var all = taken.SelectMany(ids => ids).ToList();
        Assert.Equal(added.Order(), all.Order());
        Assert.Null(await Client.TakeQueueItemAsync(queue));
    }

    [Theory]
    [InlineData("Bad Queue", "pending", "queue")]
    [InlineData("good-queue", "NOT OK", "status")]
    public async Task Should_refuse_bad_input_naming_the_field(string queue, string status, string field)
    {
        var refused = await Assert.ThrowsAnyAsync<RequestRefusedException>(() => Client.AddQueueItemAsync(queue, status: status));

        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.StartsWith(field + ":", refused.Message);
    }

    [Fact]
    public async Task Should_refuse_data_over_64_kib_naming_it_and_store_nothing()
    {
        var queue = NewQueue();
        var big = Json($$"""{ "blob": "{{new string('x', QueueRules.MaxDataBytes)}}" }""");

        var refused = await Assert.ThrowsAnyAsync<RequestRefusedException>(() => Client.AddQueueItemAsync(queue, big));

        Assert.StartsWith("data:", refused.Message);
        Assert.Empty((await Client.ListQueueItemsAsync(queue)).Items);
    }

    private async Task<(string Status, long Version)> Read(string queue, string id)
    {
        var item = await Client.GetQueueItemAsync(queue, id);
        return (item.Status, item.Version);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
