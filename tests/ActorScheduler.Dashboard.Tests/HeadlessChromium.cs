using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// One headless Chromium per test collection: Debian's <c>chromium</c> package (scripts/test installs it), driven by
/// Playwright through its executable path. Playwright's own browser builds are never downloaded (this machine reaches
/// no download site), and the driver is the Node.js program inside the Microsoft.Playwright package.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>What Playwright's auto-waiting assertions and actions wait at most: generous, as CI machines are slow.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// --no-sandbox because CI runs as root; the rest keep Chromium from calling home (update checks, sync, QUIC),
    /// which this machine's closed network refuses many times a second.
    /// </summary>
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>What <c>chromium --version</c> would say, e.g. "156.0.8078.114".</summary>
    public string Version => Browser.Version;

    private IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started yet.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"Debian's Chromium is not installed ({ExecutablePath}): scripts/test installs it, or run `apt-get install -y chromium`.");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"); // inherited by the driver
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = (float)TimeSpan.FromSeconds(60).TotalMilliseconds,
        });
    }

    /// <summary>
    /// A fresh context and page for one test, relative URLs resolved against <paramref name="baseUrl"/>. Dispose it
    /// with <c>await using</c>: that saves <c>.artifacts/screenshots/&lt;SpecClass&gt;.&lt;test&gt;.png</c> whether the
    /// test passed or failed. The caller's file and method name the screenshot.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(Uri baseUrl, [CallerFilePath] string specFile = "", [CallerMemberName] string test = "")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)(2 * Patience).TotalMilliseconds);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, $"{Path.GetFileNameWithoutExtension(specFile)}.{test}");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
