using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

public sealed class JobLifecycleSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_answer_201_with_the_view_and_its_location_when_creating_a_new_job()
    {
        var id = Api.NewId("create");

        var response = await Api.Post("/api/v1/jobs", Api.Job(id, """ "tags": ["billing"] """));

        var view = await Api.Expect<JobView>(response, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, view.Id);
        Assert.Equal(JobStatus.Waiting, view.Status);
        Assert.Equal(["billing"], view.Definition.Tags);
        Assert.Equal(id, (await Api.GetJob(id)).Id);
    }

    [Fact]
    public async Task Should_answer_409_when_creating_a_job_whose_id_exists()
    {
        var id = Api.NewId("duplicate");
        await Api.CreateJob(id);

        var again = await Api.Post("/api/v1/jobs", Api.Job(id, """ "tags": ["second"] """));

        await Api.ExpectProblem(again, HttpStatusCode.Conflict, id);
        Assert.Null((await Api.GetJob(id)).Definition.Tags);
    }

    [Fact]
    public async Task Should_answer_201_then_200_when_putting_the_same_id_twice()
    {
        var id = Api.NewId("put");

        var first = await Api.Put($"/api/v1/jobs/{id}", """{ "run": { "handler": { "name": "noop" } } }""");
        var created = await Api.Expect<JobView>(first, HttpStatusCode.Created);
        var second = await Api.Put($"/api/v1/jobs/{id}", Api.Job(id, """ "tags": ["replaced"] """));
        var replaced = await Api.Expect<JobView>(second, HttpStatusCode.OK);

        Assert.Equal($"/api/v1/jobs/{id}", first.Headers.Location?.OriginalString);
        Assert.Equal(id, created.Definition.Id);
        Assert.Equal(["replaced"], replaced.Definition.Tags);
        Assert.True(replaced.Version > created.Version, "a replace adds to the job's history");
    }

    [Fact]
    public async Task Should_answer_400_and_create_nothing_when_the_body_id_differs_from_the_path()
    {
        var id = Api.NewId("mismatch");

        var response = await Api.Put($"/api/v1/jobs/{id}", Api.Job("someone-else"));

        await Api.ExpectProblem(response, HttpStatusCode.BadRequest, "id:");
        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/api/v1/jobs/{0}")]
    [InlineData("DELETE", "/api/v1/jobs/{0}")]
    [InlineData("POST", "/api/v1/jobs/{0}/trigger")]
    [InlineData("POST", "/api/v1/jobs/{0}/pause")]
    [InlineData("POST", "/api/v1/jobs/{0}/resume")]
    [InlineData("GET", "/api/v1/jobs/{0}/runs")]
    [InlineData("GET", "/api/v1/jobs/{0}/history")]
    [InlineData("GET", "/api/v1/runs/{0}~1")]
    [InlineData("POST", "/api/v1/runs/{0}~1/cancel")]
    public async Task Should_answer_404_when_the_job_does_not_exist(string method, string path)
    {
        var id = Api.NewId("missing");

        var response = await Api.Send(new HttpMethod(method), string.Format(path, id));

        await Api.ExpectProblem(response, HttpStatusCode.NotFound, id);
    }

    [Fact]
    public async Task Should_answer_404_when_rescheduling_a_job_that_does_not_exist()
    {
        var response = await Api.Post($"/api/v1/jobs/{Api.NewId("missing")}/reschedule", """{ "at": "2030-01-01T00:00:00Z" }""");

        await Api.ExpectProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_cancel_the_job_and_keep_its_history_readable_when_deleting()
    {
        var id = Api.NewId("delete");
        await Api.CreateJob(id);

        var canceled = await Api.Expect<JobView>(await Api.Delete($"/api/v1/jobs/{id}"), HttpStatusCode.OK);
        var history = await Api.Expect<HistoryList>(await Api.Get($"/api/v1/jobs/{id}/history"), HttpStatusCode.OK);

        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Equal(JobStatus.Canceled, (await Api.GetJob(id)).Status);
        Assert.Equal(["job-defined", "job-canceled"], history.Items.Select(e => e.Type));
        await Api.ExpectProblem(await Api.Post($"/api/v1/jobs/{id}/pause"), HttpStatusCode.Conflict, "canceled");
    }

    [Fact]
    public async Task Should_pause_with_the_reason_and_resume_when_asked()
    {
        var id = Api.NewId("pause");
        await Api.CreateJob(id, """ "schedule": { "cron": "0 0 1 1 *" } """);

        var paused = await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/pause", """{ "reason": "maintenance" }"""), HttpStatusCode.OK);
        var resumed = await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/resume"), HttpStatusCode.OK);
        var pausedWithoutBody = await Api.Expect<JobView>(await Api.Post($"/api/v1/jobs/{id}/pause"), HttpStatusCode.OK);

        Assert.Equal(JobStatus.Paused, paused.Status);
        Assert.Equal("maintenance", paused.PausedReason);
        Assert.Equal(JobStatus.Scheduled, resumed.Status);
        Assert.Equal(JobStatus.Paused, pausedWithoutBody.Status);
    }

    [Fact]
    public async Task Should_move_the_next_occurrence_when_rescheduling()
    {
        var id = Api.NewId("reschedule");
        var before = await Api.CreateJob(id, """ "schedule": { "cron": "0 0 1 1 *" } """);
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var wanted = new DateTimeOffset(at.Year, at.Month, at.Day, 12, 0, 0, TimeSpan.Zero);

        var response = await Api.Post($"/api/v1/jobs/{id}/reschedule", $$"""{ "at": "{{wanted:yyyy-MM-dd'T'HH:mm:ss'Z'}}" }""");

        var moved = await Api.Expect<JobView>(response, HttpStatusCode.OK);
        Assert.NotEqual(wanted, before.NextDueAt);
        Assert.Equal(wanted, moved.NextDueAt);
    }
}
