using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>The New job form (<c>#/new</c>): the definition it sends, its schedule builder and the server's verdicts.</summary>
[Collection(DashboardCollection.Name)]
public sealed class JobFormSpecs(DashboardNode node, HeadlessChromium chromium)
{
    [Fact]
    public async Task Should_create_an_on_demand_job_and_open_its_page_when_the_form_is_saved()
    {
        var id = SchedulerApi.UniqueId("form");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.NewJob);

        await page.Locator("#job-id").FillAsync(id);
        await page.Locator("input[name=kind][value=none]").CheckAsync();
        await page.Locator("#run-command").FillAsync("bash\n-c\necho made in the form");
        await page.Locator("#save-job").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"#/jobs/{Regex.Escape(id)}$"));
        await Expect(page.Locator(".job-head h1")).ToContainTextAsync(id);
        var job = await node.Api.FindJobAsync(id);
        Assert.True(job is not null, $"the form navigated to the job's page, yet GET {SchedulerApi.JobPath(id)} answers 404");
        Assert.Null(job["definition"]!["schedule"]);
        Assert.Equal(["bash", "-c", "echo made in the form"], Command(job));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_create_a_cron_job_in_the_chosen_time_zone_when_the_form_is_saved()
    {
        var id = SchedulerApi.UniqueId("form-cron");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.NewJob);

        await page.Locator("#job-id").FillAsync(id);
        await Expect(page.Locator("input[name=kind][value=cron]")).ToBeCheckedAsync();
        await page.Locator("#schedule-cron").FillAsync("0 30 2 * * *");
        await page.Locator("#schedule-zone").SelectOptionAsync("Europe/Amsterdam");
        await page.Locator("#run-command").FillAsync("sh\n-c\necho nightly");
        await page.Locator("#save-job").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"#/jobs/{Regex.Escape(id)}$"));
        var schedule = (await node.Api.FindJobAsync(id))?["definition"]!["schedule"];
        Assert.Equal("0 30 2 * * *", schedule?["cron"]?.GetValue<string>());
        Assert.Equal("Europe/Amsterdam", schedule?["timeZone"]?.GetValue<string>());
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_preview_ten_occurrences_and_explain_a_bad_cron_while_the_cron_is_typed()
    {
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.NewJob);
        var cron = page.Locator("#schedule-cron");
        var occurrences = page.Locator("#schedule-preview li");
        var error = page.Locator("#schedule-error");

        await Expect(occurrences).ToHaveCountAsync(10); // the form's default cron

        await cron.FillAsync("61 * * * *");
        await Expect(error).ToContainTextAsync("cron");
        await Expect(occurrences).ToHaveCountAsync(0);

        await cron.FillAsync("*/15 * * * *");
        await Expect(occurrences).ToHaveCountAsync(10);
        await Expect(error).ToBeEmptyAsync();

        await cron.FillAsync("not a cron");
        await Expect(error).ToContainTextAsync(new Regex("cron needs 5 .* or 6"));
        await Expect(occurrences).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors(provokedStatuses: 400);
    }

    [Fact]
    public async Task Should_show_the_servers_message_at_the_cron_field_and_create_nothing_when_the_cron_is_bad()
    {
        var id = SchedulerApi.UniqueId("form-bad");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.NewJob);

        await page.Locator("#job-id").FillAsync(id);
        await page.Locator("#schedule-cron").FillAsync("61 * * * *");
        await page.Locator("#run-command").FillAsync("bash\n-c\necho never");
        await page.Locator("#save-job").ClickAsync();

        // The 400 names the field schedule.cron; the form shows it at the cron input, the longest matching slot.
        var cronError = page.Locator(".field-error[data-field='schedule.cron']");
        await Expect(cronError).ToContainTextAsync("'61 * * * *' is not a valid cron expression");
        await Expect(page.Locator(".field[data-for='schedule.cron']")).ToHaveClassAsync(new Regex(@"\binvalid\b"));
        await Expect(page.Locator("#form-error")).ToBeEmptyAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/new$"));
        Assert.Null(await node.Api.FindJobAsync(id));
        browser.AssertNoConsoleErrors(provokedStatuses: 400);
    }

    [Fact]
    public async Task Should_keep_schedules_exclusions_and_jitter_when_a_job_with_them_is_edited()
    {
        var id = SchedulerApi.UniqueId("form-set");
        var job = SchedulerApi.ShellJob(id, "echo kept");
        job["schedules"] = JsonNode.Parse("""[ { "cron": "0 0 3 * * *", "timeZone": "UTC" }, { "cron": "0 0 15 * * *", "timeZone": "UTC" } ]""");
        job["exclude"] = JsonNode.Parse("""[ { "dates": [ "2030-12-25" ] } ]""");
        job["jitter"] = "PT30S";
        await node.Api.CreateJobAsync(job);
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Job(id) + "/edit");

        await Expect(page.Locator("input[name=kind][value=defined]")).ToBeCheckedAsync();
        await Expect(page.Locator("#schedule-preview li")).ToHaveCountAsync(10); // the job's own schedules, previewed
        await page.Locator("#job-tags").FillAsync("edited");
        await page.Locator("#save-job").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"#/jobs/{Regex.Escape(id)}$"));
        var definition = (await node.Api.EventuallyAsync(SchedulerApi.JobPath(id), j => j["definition"]?["tags"] is not null, "the edited tags"))["definition"]!;
        Assert.Equal(2, definition["schedules"]!.AsArray().Count);
        Assert.Equal("2030-12-25", definition["exclude"]![0]!["dates"]![0]!.GetValue<string>());
        Assert.Equal("PT30S", definition["jitter"]!.GetValue<string>());
        Assert.Null(definition["schedule"]);
        browser.AssertNoConsoleErrors();
    }

    private static string[] Command(JsonNode job) =>
        [.. job["definition"]!["run"]!["shell"]!["command"]!.AsArray().Select(argument => argument!.GetValue<string>())];
}
