using System.Net;
using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Queues;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// Work queues over a real socket (docs/API.md, "Work queues"): items created, listed by status in each sort and paged
/// without gaps or repeats, changed with an expected status or version, deleted; bad input refused naming its field,
/// and nothing stored by a refused request.
/// </summary>
public sealed class QueueSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    private static string NewQueue() => $"q-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Should_answer_201_with_the_item_its_location_and_version_when_adding_an_item()
    {
        var queue = NewQueue();

        var response = await Api.Post($"/api/v1/queues/{queue}/items", """{ "data": { "file": "a.csv", "rows": 12 }, "status": "pending" }""");

        var item = await Api.Expect<QueueItem>(response, HttpStatusCode.Created);
        Assert.Equal(($"/api/v1/queues/{queue}/items/{item.Id}", "\"1\""), (response.Headers.Location?.OriginalString, response.Headers.ETag?.Tag));
        Assert.Equal(("pending", queue, 1L, item.CreatedAt), (item.Status, item.Queue, item.Version, item.UpdatedAt));
        Assert.Equal("""{"file":"a.csv","rows":12}""", QueueRules.Compact(item.Data));
        var read = await Api.Expect<QueueItem>(await Api.Get(response.Headers.Location!.OriginalString), HttpStatusCode.OK);
        Assert.Equal(CoreJson.Serialize(item), CoreJson.Serialize(read));
    }

    [Fact]
    public async Task Should_default_to_pending_and_empty_data_when_the_body_leaves_them_out()
    {
        var item = await Api.Expect<QueueItem>(await Api.Post($"/api/v1/queues/{NewQueue()}/items", "{}"), HttpStatusCode.Created);

        Assert.Equal(("pending", "{}"), (item.Status, QueueRules.Compact(item.Data)));
    }

    [Theory]
    [InlineData("createdAt")]
    [InlineData("-createdAt")]
    [InlineData("updatedAt")]
    [InlineData("-updatedAt")]
    public async Task Should_page_through_the_items_of_a_status_once_each_in_the_sort_asked_for(string sort)
    {
        var queue = NewQueue();
        var items = new List<QueueItem>();
        for (var i = 0; i < 13; i++)
            items.Add(await Add(queue, $$"""{ "n": {{i}} }""", i % 3 == 0 ? "done" : "pending"));
        // Changed in another order than created: the updatedAt order differs from the createdAt order.
        foreach (var index in new[] { 7, 1, 4 })
            items[index] = await Patch(queue, items[index].Id, """{ "data": { "n": -1 } }""");

        QueueSorts.TryParse(sort, out var order);
        var pending = Ordered(items.Where(item => item.Status == "pending"), order).Select(item => item.Id).ToList();
        var all = Ordered(items, order).Select(item => item.Id).ToList();

        Assert.Equal(pending, await Paged($"/api/v1/queues/{queue}/items?status=pending&sort={Uri.EscapeDataString(sort)}&limit=3"));
        Assert.Equal(all, await Paged($"/api/v1/queues/{queue}/items?sort={Uri.EscapeDataString(sort)}&limit=5"));
    }

    [Fact]
    public async Task Should_list_the_oldest_items_first_when_no_sort_is_given()
    {
        var queue = NewQueue();
        var first = await Add(queue, "{}", "pending");
        var second = await Add(queue, "{}", "pending");

        var page = await Api.Expect<QueueItemList>(await Api.Get($"/api/v1/queues/{queue}/items"), HttpStatusCode.OK);

        Assert.Equal([first.Id, second.Id], page.Items.Select(item => item.Id));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Should_change_status_and_data_and_answer_the_item_with_its_new_version_when_patching()
    {
        var queue = NewQueue();
        var item = await Add(queue, """{ "file": "a.csv" }""", "pending");

        var response = await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{item.Id}",
            """{ "status": "done", "data": { "file": "a.csv", "result": "ok" } }""", ("If-Match", "\"1\""));

        var changed = await Api.Expect<QueueItem>(response, HttpStatusCode.OK);
        Assert.Equal(("done", 2L, "\"2\""), (changed.Status, changed.Version, response.Headers.ETag?.Tag));
        Assert.Equal("""{"file":"a.csv","result":"ok"}""", QueueRules.Compact(changed.Data));
        Assert.True(changed.UpdatedAt >= item.UpdatedAt && changed.CreatedAt == item.CreatedAt, "a change moves updatedAt only");
        var statusOnly = await Patch(queue, item.Id, """{ "status": "archived" }""");
        Assert.Equal(("archived", """{"file":"a.csv","result":"ok"}"""), (statusOnly.Status, QueueRules.Compact(statusOnly.Data)));
    }

    [Fact]
    public async Task Should_answer_409_and_change_nothing_when_the_item_no_longer_has_the_expected_status()
    {
        var queue = NewQueue();
        var item = await Add(queue, "{}", "pending");
        var take = $$"""{ "status": "running", "expectStatus": "pending" }""";

        var first = await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{item.Id}", take);
        var second = await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{item.Id}", """{ "status": "stolen", "expectStatus": "pending" }""");

        Assert.Equal("running", (await Api.Expect<QueueItem>(first, HttpStatusCode.OK)).Status);
        await Api.ExpectProblem(second, HttpStatusCode.Conflict, "expectStatus");
        Assert.Equal(("running", 2L), await Read(queue, item.Id));
    }

    [Fact]
    public async Task Should_answer_412_and_change_nothing_when_if_match_names_an_older_version()
    {
        var queue = NewQueue();
        var item = await Add(queue, "{}", "pending");
        await Patch(queue, item.Id, """{ "status": "running" }""");

        var response = await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{item.Id}", """{ "status": "done" }""", ("If-Match", "\"1\""));

        await Api.ExpectProblem(response, HttpStatusCode.PreconditionFailed, "If-Match");
        Assert.Equal(("running", 2L), await Read(queue, item.Id));
    }

    [Fact]
    public async Task Should_answer_204_then_404_when_deleting_an_item()
    {
        var queue = NewQueue();
        var item = await Add(queue, "{}", "pending");
        var path = $"/api/v1/queues/{queue}/items/{item.Id}";

        Assert.Equal(HttpStatusCode.NoContent, (await Api.Delete(path)).StatusCode);

        await Api.ExpectProblem(await Api.Get(path), HttpStatusCode.NotFound, item.Id);
        await Api.ExpectProblem(await Api.Delete(path), HttpStatusCode.NotFound, "itemId");
        await Api.ExpectProblem(await Api.Send(HttpMethod.Patch, path, """{ "status": "done" }"""), HttpStatusCode.NotFound, "itemId");
        await Api.ExpectProblem(await Api.Get($"/api/v1/queues/{NewQueue()}/items/{item.Id}"), HttpStatusCode.NotFound, "itemId");
    }

    [Fact]
    public async Task Should_list_each_queue_with_its_item_counts_by_status()
    {
        var queue = NewQueue();
        await Add(queue, "{}", "pending");
        await Add(queue, "{}", "pending");
        var failed = await Add(queue, "{}", "failed");
        await Add(queue, "{}", "done");
        await Api.Delete($"/api/v1/queues/{queue}/items/{failed.Id}");

        var queues = await Api.Expect<QueueList>(await Api.Get("/api/v1/queues"), HttpStatusCode.OK);

        var summary = Assert.Single(queues.Items, q => q.Name == queue);
        Assert.Equal(3, summary.Total);
        Assert.Equal(new Dictionary<string, long> { ["done"] = 1, ["pending"] = 2 }, summary.Counts);
        Assert.Equal(queues.Items.Select(q => q.Name).Order(StringComparer.Ordinal), queues.Items.Select(q => q.Name));
    }

    [Theory]
    [InlineData("POST", "/api/v1/queues/Bad%20Queue/items", """{ "data": {} }""", "queue")]
    [InlineData("POST", "/api/v1/queues/{queue}/items", """{ "status": "Not OK" }""", "status")]
    [InlineData("POST", "/api/v1/queues/{queue}/items", """{ "data": [1, 2] }""", "data")]
    [InlineData("POST", "/api/v1/queues/{queue}/items", """{ "data": {}, "priority": 3 }""", "priority")]
    [InlineData("POST", "/api/v1/queues/{queue}/items", """{ "data": { "a": 1 """, "")]
    [InlineData("GET", "/api/v1/queues/{queue}/items?sort=name", null, "sort")]
    [InlineData("GET", "/api/v1/queues/{queue}/items?limit=0", null, "limit")]
    [InlineData("GET", "/api/v1/queues/{queue}/items?limit=1001", null, "limit")]
    [InlineData("GET", "/api/v1/queues/{queue}/items?status=PENDING", null, "status")]
    [InlineData("GET", "/api/v1/queues/{queue}/items?after=not-a-cursor", null, "after")]
    [InlineData("GET", "/api/v1/queues/{queue}/items?sort=-createdAt&after=createdAt~638000000000000000~abc", null, "after")]
    [InlineData("GET", "/api/v1/queues/{queue}/items/bad.id", null, "itemId")]
    [InlineData("PATCH", "/api/v1/queues/{queue}/items/{item}", """{ "expectStatus": "pending" }""", "body")]
    [InlineData("PATCH", "/api/v1/queues/{queue}/items/{item}", """{ "status": "done", "expectStatus": "Pending!" }""", "expectStatus")]
    [InlineData("PATCH", "/api/v1/queues/{queue}/items/{item}", """{ "data": "text" }""", "data")]
    public async Task Should_answer_400_naming_the_field_and_store_nothing_when_the_input_is_bad(string method, string path, string? body, string field)
    {
        var queue = NewQueue();
        var item = method == "PATCH" ? await Add(queue, """{ "kept": true }""", "pending") : null;

        var response = await Api.Send(new HttpMethod(method), path.Replace("{queue}", queue).Replace("{item}", item?.Id), body);

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(item is null ? 0 : 1, (await Api.Expect<QueueItemList>(await Api.Get($"/api/v1/queues/{queue}/items"), HttpStatusCode.OK)).Items.Count);
        if (item is not null)
            Assert.Equal(("pending", 1L), await Read(queue, item.Id));
    }

    [Fact]
    public async Task Should_answer_400_naming_if_match_when_it_is_not_an_etag_of_this_api()
    {
        var queue = NewQueue();
        var item = await Add(queue, "{}", "pending");

        var response = await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{item.Id}", """{ "status": "done" }""", ("If-Match", "W/\"x\""));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "If-Match");
    }

    [Fact]
    public async Task Should_answer_413_naming_data_and_store_nothing_when_the_data_is_over_64_kib()
    {
        var queue = NewQueue();
        var big = new string('x', QueueRules.MaxDataBytes);
        var item = await Add(queue, "{}", "pending");

        var added = await Api.Post($"/api/v1/queues/{queue}/items", $$"""{ "data": { "blob": "{{big}}" } }""");
        var patched = await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{item.Id}", $$"""{ "data": { "blob": "{{big}}" } }""");

        await Api.ExpectProblem(added, HttpStatusCode.RequestEntityTooLarge, "data");
        await Api.ExpectProblem(patched, HttpStatusCode.RequestEntityTooLarge, "data");
        var page = await Api.Expect<QueueItemList>(await Api.Get($"/api/v1/queues/{queue}/items"), HttpStatusCode.OK);
        Assert.Equal([(item.Id, 1L)], page.Items.Select(i => (i.Id, i.Version)));
    }

    [Theory]
    [InlineData("/api/v1/queues", "get", "200")]
    [InlineData("/api/v1/queues/{queue}/items", "post", "201 400 413")]
    [InlineData("/api/v1/queues/{queue}/items", "get", "200 400")]
    [InlineData("/api/v1/queues/{queue}/items/{itemId}", "get", "200 404")]
    [InlineData("/api/v1/queues/{queue}/items/{itemId}", "patch", "200 400 404 409 412")]
    [InlineData("/api/v1/queues/{queue}/items/{itemId}", "delete", "204 404")]
    public async Task Should_document_each_queue_operation_with_its_answers_in_openapi(string path, string method, string statuses)
    {
        using var document = JsonDocument.Parse(await (await Api.Get("/openapi/v1.json")).Content.ReadAsStringAsync());

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.All(statuses.Split(' '), status => Assert.Contains(status, documented));
    }

    private async Task<QueueItem> Add(string queue, string data, string status) =>
        await Api.Expect<QueueItem>(await Api.Post($"/api/v1/queues/{queue}/items", $$"""{ "data": {{data}}, "status": "{{status}}" }"""),
            HttpStatusCode.Created);

    private async Task<QueueItem> Patch(string queue, string id, string body) =>
        await Api.Expect<QueueItem>(await Api.Send(HttpMethod.Patch, $"/api/v1/queues/{queue}/items/{id}", body), HttpStatusCode.OK);

    private async Task<(string Status, long Version)> Read(string queue, string id)
    {
        var item = await Api.Expect<QueueItem>(await Api.Get($"/api/v1/queues/{queue}/items/{id}"), HttpStatusCode.OK);
        return (item.Status, item.Version);
    }

    private async Task<List<string>> Paged(string path)
    {
        var ids = new List<string>();
        var next = path;
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 50, "the pages never end");
            var page = await Api.Expect<QueueItemList>(await Api.Get(next), HttpStatusCode.OK);
            ids.AddRange(page.Items.Select(item => item.Id));
            next = page.Next is null ? null : $"{path}&after={Uri.EscapeDataString(page.Next)}";
        }
        return ids;
    }

    private static IEnumerable<QueueItem> Ordered(IEnumerable<QueueItem> items, QueueSort sort)
    {
        Func<QueueItem, DateTimeOffset> time = sort.ByUpdate() ? item => item.UpdatedAt : item => item.CreatedAt;
        return sort.Descending()
            ? items.OrderByDescending(time).ThenByDescending(item => item.Id, StringComparer.Ordinal)
            : items.OrderBy(time).ThenBy(item => item.Id, StringComparer.Ordinal);
    }
}

/// <summary>The queues sit behind the API token like every /api/v1 route.</summary>
public sealed class QueueAuthSpecs(SecuredGatewayFixture gateway) : IClassFixture<SecuredGatewayFixture>
{
    [Theory]
    [InlineData("GET", "/api/v1/queues")]
    [InlineData("POST", "/api/v1/queues/secret/items")]
    [InlineData("GET", "/api/v1/queues/secret/items")]
    public async Task Should_answer_401_and_store_nothing_when_the_token_is_missing(string method, string path)
    {
        using var anonymous = new Api(new HttpClient { BaseAddress = gateway.Server.Url });

        await Api.ExpectProblem(await anonymous.Send(new HttpMethod(method), path, method == "POST" ? "{}" : null), HttpStatusCode.Unauthorized);

        var queues = await Api.Expect<QueueList>(await gateway.Api.Get("/api/v1/queues"), HttpStatusCode.OK);
        Assert.DoesNotContain(queues.Items, queue => queue.Name == "secret");
        Assert.Equal("Bearer", gateway.Api.Client.DefaultRequestHeaders.Authorization?.Scheme);
    }
}
