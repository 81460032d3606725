using System.Text.Json;
using ActorScheduler.Core.Queues;
using ActorScheduler.Engine.Queues;
using ActorScheduler.Engine.Storage;
using Microsoft.Extensions.Time.Testing;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The work queues (<see cref="WorkQueues"/> over <see cref="QueueTables"/>) on each database the engine supports: items read
/// back as added, every sort and status filter pages through each item once, changes honour the expected status and
/// version, and of many workers taking one item exactly one gets it.
/// </summary>
public abstract class QueueTablesSpecs : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(T0);

    protected QueueTablesSpecs(TestDatabase database)
    {
        _database = database;
        Tables = new QueueTables(database.Open);
        Tables.EnsureSchema();
        Tables.EnsureSchema(); // a restart finds the tables and keeps them
        Queues = new WorkQueues(Tables, _clock);
    }

    protected QueueTables Tables { get; }

    private WorkQueues Queues { get; }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Should_read_back_an_item_exactly_as_added_with_pending_as_its_default_status()
    {
        var data = Json("""{"customer": 1234, "name": "Zoë \"Z\"", "nested": {"a": [1, 2.5, null]}, "ok": true}""");

        var added = await Queues.Add("invoices", data, status: null);
        var read = await Queues.Get("invoices", added.Id);

        Assert.NotNull(read);
        Assert.Equal((QueueRules.DefaultStatus, T0, T0, 1L), (read.Status, read.CreatedAt, read.UpdatedAt, read.Version));
        Assert.Equal(QueueRules.Compact(data), QueueRules.Compact(read.Data));
        Assert.Equal((added.Id, "invoices"), (read.Id, read.Queue));
        Assert.Null(await Queues.Get("other-queue", added.Id));
    }

    [Fact]
    public async Task Should_page_through_every_item_once_in_each_sort_whatever_the_status_filter()
    {
        var items = new List<QueueItem>();
        for (var i = 0; i < 23; i++)
        {
            if (i % 3 != 0) // every third item shares its creation time with the one before: ties are ordered by id
                _clock.Advance(TimeSpan.FromSeconds(1));
            items.Add(await Queues.Add("mixed", Json($$"""{"n": {{i}}}"""), i % 2 == 0 ? "pending" : "done"));
        }
        await Queues.Add("another", null, "pending");
        // Changes move items in the updatedAt order, not in the createdAt order.
        foreach (var index in new[] { 4, 0, 17, 9 })
        {
            _clock.Advance(TimeSpan.FromMilliseconds(10));
            var changed = Assert.IsType<QueueItemChanged>(await Queues.Update("mixed", items[index].Id, "done", data: null));
            items[index] = changed.Item;
        }

        foreach (var sort in Enum.GetValues<QueueSort>())
            foreach (var status in new[] { null, "pending", "done" })
            {
                var expected = Ordered(items.Where(item => status is null || item.Status == status), sort).Select(item => item.Id).ToList();
                Assert.True(expected.Count > 5, "each filter must span several pages");
                Assert.Equal(expected, await Paged(new QueueListQuery("mixed", status, sort, 4, null)));
            }
    }

    [Fact]
    public async Task Should_change_an_item_only_while_it_has_the_expected_status_and_version()
    {
        var item = await Queues.Add("work", Json("""{"file": "a.csv"}"""), "pending");
        _clock.Advance(TimeSpan.FromSeconds(5));

        var taken = Assert.IsType<QueueItemChanged>(await Queues.Update("work", item.Id, "running", data: null, expectStatus: "pending", expectVersion: 1));
        var again = Assert.IsType<QueueItemStatusConflict>(await Queues.Update("work", item.Id, "running", data: null, expectStatus: "pending"));
        var stale = Assert.IsType<QueueItemVersionConflict>(await Queues.Update("work", item.Id, "done", data: null, expectVersion: 1));
        var data = Assert.IsType<QueueItemChanged>(await Queues.Update("work", item.Id, status: null, Json("""{"file": "b.csv"}""")));

        Assert.Equal(("running", 2L, T0.AddSeconds(5), T0), (taken.Item.Status, taken.Item.Version, taken.Item.UpdatedAt, taken.Item.CreatedAt));
        Assert.Equal(("running", 2L), (again.Current.Status, again.Current.Version));
        Assert.Equal(("running", 2L), (stale.Current.Status, stale.Current.Version));
        Assert.Equal(("running", 3L, """{"file":"b.csv"}"""), (data.Item.Status, data.Item.Version, QueueRules.Compact(data.Item.Data)));
        Assert.IsType<QueueItemMissing>(await Queues.Update("work", "no-such-item", "done", data: null));
    }

    [Fact]
    public async Task Should_give_an_item_to_exactly_one_of_many_workers_taking_it_at_once()
    {
        var item = await Queues.Add("contended", null, "pending");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker =>
            Task.Run(() => Queues.Update("contended", item.Id, $"running-{worker}", data: null, expectStatus: "pending"))));

        var winner = Assert.Single(outcomes.OfType<QueueItemChanged>());
        Assert.All(outcomes.Where(outcome => outcome != winner), outcome => Assert.IsType<QueueItemStatusConflict>(outcome));
        Assert.Equal(winner.Item.Status, (await Queues.Get("contended", item.Id))!.Status);
    }

    [Fact]
    public async Task Should_count_the_items_of_each_queue_by_status_and_forget_deleted_ones()
    {
        var first = await Queues.Add("beta", null, "pending");
        await Queues.Add("beta", null, "pending");
        await Queues.Add("beta", null, "failed");
        var lone = await Queues.Add("alpha", null, "done");

        Assert.True(await Queues.Delete("beta", first.Id));
        Assert.False(await Queues.Delete("beta", first.Id), "a deleted item is gone");
        Assert.True(await Queues.Delete("alpha", lone.Id));

        var summary = Assert.Single(await Queues.Summaries());
        Assert.Equal(("beta", 2L), (summary.Name, summary.Total));
        Assert.Equal(new Dictionary<string, long> { ["failed"] = 1, ["pending"] = 1 }, summary.Counts);
        Assert.Empty((await Queues.List(new QueueListQuery("alpha", null, QueueSort.CreatedAt, 10, null))).Items);
    }

    /// <summary>The items in list order: by the sort's time, then by id (ordinal: ids are lowercase hex).</summary>
    private static IEnumerable<QueueItem> Ordered(IEnumerable<QueueItem> items, QueueSort sort)
    {
        Func<QueueItem, DateTimeOffset> time = sort.ByUpdate() ? item => item.UpdatedAt : item => item.CreatedAt;
        return sort.Descending()
            ? items.OrderByDescending(time).ThenByDescending(item => item.Id, StringComparer.Ordinal)
            : items.OrderBy(time).ThenBy(item => item.Id, StringComparer.Ordinal);
    }

    private async Task<List<string>> Paged(QueueListQuery query)
    {
        var ids = new List<string>();
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 100, "the pages never end");
            var page = await Queues.List(query);
            ids.AddRange(page.Items.Select(item => item.Id));
            if (page.Next is null)
                return ids;
            Assert.True(QueueCursor.TryParse(page.Next, out var next), $"'{page.Next}' is not a cursor");
            query = query with { After = next };
        }
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}

public sealed class QueueTablesOnSqliteSpecs() : QueueTablesSpecs(TestDatabase.Sqlite())
{
    [Theory]
    [InlineData(null, QueueSort.CreatedAt, "queue_items_created")]
    [InlineData(null, QueueSort.UpdatedAtDescending, "queue_items_updated")]
    [InlineData("pending", QueueSort.CreatedAtDescending, "queue_items_status_created")]
    [InlineData("pending", QueueSort.UpdatedAt, "queue_items_status_updated")]
    public void Should_read_a_page_as_one_index_range_without_sorting_when_listing(string? status, QueueSort sort, string index)
    {
        var after = new QueueCursor(sort, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "0123abcd");

        var plan = string.Join(" | ", Tables.ExplainList(new QueueListQuery("work", status, sort, 10, after)));

        Assert.Contains($"USING INDEX {index}", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan); // a sort step: the index would not give the order
    }
}

public sealed class QueueTablesOnPostgresSpecs() : QueueTablesSpecs(TestDatabase.Postgres());
