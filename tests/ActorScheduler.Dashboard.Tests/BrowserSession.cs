using ActorScheduler.Integration.Tests;
using Microsoft.Playwright;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// One test's browser context and page. It records what the page reports as errors (console.error, failed loads,
/// uncaught exceptions) so a spec can assert there were none, and leaves a screenshot of the page when disposed.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public IPage Page { get; }

    /// <summary>"SpecClass.Test": the screenshot's file name.</summary>
    public string Name { get; }

    public static string ScreenshotDirectory { get; } = RepositoryFiles.Path(".artifacts", "screenshots");

    public string ScreenshotPath => Path.Combine(ScreenshotDirectory, Name + ".png");

    internal BrowserSession(IBrowserContext context, IPage page, string name)
    {
        (_context, Page, Name) = (context, page, name);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Record($"console.error at {message.Location}: {message.Text}");
        };
        page.PageError += (_, error) => Record("uncaught: " + error);
    }

    /// <summary>The errors so far, in the order the page reported them.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    /// <summary>
    /// Fails naming every error the page reported, but for the answers a spec provoked on purpose: Chromium reports each
    /// HTTP error answer to a fetch as "Failed to load resource: the server responded with a status of N (…)", so a
    /// spec that expects a 400 or 403 names those statuses in <paramref name="provokedStatuses"/>.
    /// </summary>
    public void AssertNoConsoleErrors(params int[] provokedStatuses)
    {
        var unexpected = ConsoleErrors.Where(error => !provokedStatuses.Any(status => error.Contains(FailedLoad(status)))).ToList();
        Assert.True(unexpected.Count == 0, $"The page reported errors:\n{string.Join('\n', unexpected)}");
    }

    private static string FailedLoad(int status) => $"Failed to load resource: the server responded with a status of {status} ";

    /// <summary>Opens one of the dashboard's hash routes ("#/new", "#/jobs/x"): a page load the first time, a hash change after.</summary>
    public async Task GoToAsync(string route) => await Page.GotoAsync("/" + route);

    private void Record(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    public async ValueTask DisposeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        }
        catch (PlaywrightException e)
        {
            // A page that crashed or closed has nothing to show; throwing here would hide the test's own failure.
            await File.WriteAllTextAsync(Path.ChangeExtension(ScreenshotPath, ".txt"), $"No screenshot: {e.Message}");
        }
        await _context.DisposeAsync();
    }
}
