using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>A run's page (<c>#/runs/{runId}</c>): its status, its progress bar and its output, live while it runs.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunPageSpecs(DashboardNode node, HeadlessChromium chromium, ITestOutputHelper output)
{
    /// <summary>Long enough that the page most likely shows a value between 0 and 100 on the way; only the end is asserted.</summary>
    private const string EightStepsScript =
        """for i in 1 2 3 4 5 6 7 8; do echo "line $i"; echo ">>> scheduler.progress($i, 8)" >&2; sleep 1; done""";

    /// <summary>Every value data-progress takes on the page, in order, for the test's output.</summary>
    private const string RecordProgressValues = """
        () => {
          window.progressSeen = [];
          const box = document.getElementById("run-progress");
          const note = () => {
            const value = box.querySelector(".progress")?.dataset.progress;
            if (value !== undefined && window.progressSeen.at(-1) !== value) window.progressSeen.push(value);
          };
          new MutationObserver(note).observe(box, { childList: true, subtree: true, attributes: true });
          note();
        }
        """;

    private static readonly TimeSpan RunPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Should_fill_the_progress_bar_and_end_succeeded_when_a_run_started_from_the_job_page_reports_progress()
    {
        var id = SchedulerApi.UniqueId("progress");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, EightStepsScript));
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await browser.GoToAsync(DashboardRoutes.Job(id));

        await page.Locator(".job-head button[data-action=trigger]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"#/runs/{Regex.Escape(id)}~\\d+$"));
        await Expect(page.Locator("#run-progress .progress")).ToBeAttachedAsync();
        await page.EvaluateAsync(RecordProgressValues);
        var bar = page.Locator("#run-progress .progress");
        await Expect(bar).ToHaveAttributeAsync("data-progress", new Regex(@"^\d+$"));
        await Expect(page.Locator("#run-status [data-status]")).ToHaveAttributeAsync("data-status", "succeeded", Within(RunPatience));
        // The worker always passes on the last report (current = max), however soon after the one before it comes.
        await Expect(bar).ToHaveAttributeAsync("data-progress", "100");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "8");
        await Expect(bar.Locator(".label")).ToHaveTextAsync("8 / 8 (100%)");
        await Expect(page.Locator("#run-output")).ToContainTextAsync("line 8");
        output.WriteLine("data-progress values the page showed: " + string.Join(", ", await page.EvaluateAsync<string[]>("() => window.progressSeen")));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Should_show_output_live_while_the_run_is_still_running_and_all_of_it_once_it_succeeds()
    {
        var (_, runId, gate) = await StartGatedRunAsync("live");
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        var outputBox = page.Locator("#run-output");
        var status = page.Locator("#run-status [data-status]");
        try
        {
            await browser.GoToAsync(DashboardRoutes.Run(runId));

            await Expect(outputBox).ToContainTextAsync("first");
            await Expect(status).ToHaveAttributeAsync("data-status", "running");
            await Expect(page.Locator("#output-note")).ToHaveTextAsync("Live from the worker.");
            await Expect(outputBox).Not.ToContainTextAsync("second");
        }
        finally
        {
            await gate.OpenAsync();
        }

        await Expect(outputBox).ToContainTextAsync("second", new() { Timeout = (float)RunPatience.TotalMilliseconds });
        await Expect(status).ToHaveAttributeAsync("data-status", "succeeded", Within(RunPatience));
        // Each piece exactly once: the page asks for the output from where the last answer ended (Output-Next).
        await Expect(outputBox).ToHaveTextAsync(new Regex(@"^first\s+second\s*$"));
        browser.AssertNoConsoleErrors();
    }

    /// <summary>
    /// The page reads the job and the run, and follows the job's events from the job's version: a run that ends while
    /// those reads are under way must still be shown as ended. A slow answer for the job (held here until the run has
    /// ended) makes that certain whichever order the page reads them in.
    /// </summary>
    [Fact]
    public async Task Should_show_the_run_succeeded_when_it_ends_while_the_page_is_still_loading()
    {
        var (jobId, runId, gate) = await StartGatedRunAsync("loading");
        var jobPath = SchedulerApi.JobPath(jobId);
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        var page = browser.Page;
        await page.RouteAsync(url => new Uri(url).AbsolutePath == jobPath, async route =>
        {
            try
            {
                await gate.OpenAsync();
                await node.Api.WaitForRunToEndAsync(runId);
            }
            finally
            {
                await route.ContinueAsync();
            }
        });
        try
        {
            await browser.GoToAsync(DashboardRoutes.Run(runId));

            await Expect(page.Locator("#run-status [data-status]")).ToHaveAttributeAsync("data-status", "succeeded", Within(RunPatience));
            await Expect(page.Locator("#cancel-run")).ToHaveCountAsync(0);
            browser.AssertNoConsoleErrors();
        }
        finally
        {
            await gate.OpenAsync();
        }
    }

    [Fact]
    public async Task Should_show_exit_code_0_in_the_details_when_the_run_succeeded()
    {
        var id = SchedulerApi.UniqueId("exit-0");
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id, "exit 0"));
        var run = await node.Api.WaitForRunToEndAsync(await node.Api.TriggerAsync(id));
        Assert.Equal(0, run["exitCode"]?.GetValue<int>());
        await using var browser = await chromium.OpenAsync(node.BaseUrl);
        await browser.GoToAsync(DashboardRoutes.Run(run["runId"]!.GetValue<string>()));

        await Expect(browser.Page.Locator("#run-status [data-status]")).ToHaveAttributeAsync("data-status", "succeeded");
        // Drawn together with the status: what it shows now is final.
        var exitCode = await browser.Page.Locator("dl.facts dt:text-is('Exit code') + dd").TextContentAsync();
        Assert.True(exitCode == "0", $"the run exited with 0, yet its Exit code shows '{exitCode}'");
        browser.AssertNoConsoleErrors();
    }

    /// <summary>
    /// Starts a run that prints "first", waits until the spec opens its gate and prints "second"; answers once the run
    /// is running, so that the page meets it running.
    /// </summary>
    private async Task<(string JobId, string RunId, RunGate Gate)> StartGatedRunAsync(string prefix)
    {
        var id = SchedulerApi.UniqueId(prefix);
        var gate = new RunGate(Path.Combine(Path.GetTempPath(), id + ".gate"));
        await node.Api.CreateJobAsync(SchedulerApi.ShellJob(id,
            $"echo first; while [ ! -f {gate.Path} ]; do sleep 0.2; done; rm -f {gate.Path}; echo second"));
        var runId = await node.Api.TriggerAsync(id);
        await node.Api.EventuallyAsync(SchedulerApi.RunPath(runId), run => run["status"]!.GetValue<string>() == "running", $"{runId} to start");
        return (id, runId, gate);
    }

    /// <summary>
    /// A file the gated run waits for (the node runs on this machine) and removes once seen. A spec opens it also when
    /// it failed, as a run left waiting would hold a worker slot; only once, or the file would stay behind.
    /// </summary>
    private sealed class RunGate(string path)
    {
        private int _opened;

        public string Path { get; } = path;

        public async Task OpenAsync()
        {
            if (Interlocked.Exchange(ref _opened, 1) == 0)
                await File.WriteAllTextAsync(Path, "");
        }
    }

    private static LocatorAssertionsToHaveAttributeOptions Within(TimeSpan patience) => new() { Timeout = (float)patience.TotalMilliseconds };
}
