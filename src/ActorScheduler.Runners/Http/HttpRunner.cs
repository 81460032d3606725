using System.Globalization;
using System.Net;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Http;

/// <summary>
/// Calls an HTTP endpoint: the spec's method (GET, or POST when a body is given), headers and JSON body, plus
/// X-Scheduler-* headers naming the run and its fencing token (the HTTP form of the shell runner's SCHEDULER_*
/// variables). 2xx succeeds; any other status fails as "HTTP 503 Service Unavailable". The response body's
/// tail is the output, bounded like shell output, read as a stream and only up to
/// <see cref="HttpRunnerOptions.MaxResponseBytes"/>.
/// </summary>
/// <remarks>
/// Every destination passes the worker's <see cref="HttpDestinationPolicy"/>: the URL's host before each request,
/// and the address actually connected (see <see cref="DestinationConnector"/>). Redirects are followed here, not
/// by the handler, so each hop is checked. No proxy is used (a proxy would be the address connected, and the
/// check would judge it instead of the destination), and no cookies are kept (they would pass between jobs).
/// </remarks>
public sealed class HttpRunner : IRunner, IDisposable
{
    private readonly HttpDestinationPolicy policy;
    private readonly HttpRunnerOptions options;
    private readonly SocketsHttpHandler handler;
    private readonly HttpClient client;

    /// <exception cref="ArgumentException">The policy or options are misconfigured (a start-up error).</exception>
    public HttpRunner(HttpDestinationPolicy policy, HttpRunnerOptions? options = null)
        : this(policy, options, DestinationConnector.ResolveWithDns)
    {
    }

    /// <param name="resolve">Looks a host name up (a parameter so specs can play a DNS server).</param>
    internal HttpRunner(HttpDestinationPolicy policy, HttpRunnerOptions? options, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        this.policy = policy;
        this.options = options ?? new HttpRunnerOptions();
        if (policy.Problems() is { Count: > 0 } problems)
            throw new ArgumentException("Invalid http destination policy: " + string.Join(" ", problems), nameof(policy));
        if (this.options.Problems().ToList() is { Count: > 0 } optionProblems)
            throw new ArgumentException("Invalid http runner options: " + string.Join(" ", optionProblems), nameof(options));
        handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = new DestinationConnector(policy, resolve).ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpDestinationPolicy Policy => policy;

    public bool CanRun(RunSpec spec) => spec.Http is not null;

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        if (request.Run?.Http is not { } spec) return RunResult.Failed("not an http run");
        var (hop, error) = HttpHop.First(request, spec);
        if (hop is null) return RunResult.Failed(error!);
        if (cancel.IsCancellationRequested) return RunResult.Canceled("canceled before the request was sent");

        var output = new OutputTail(options.OutputLimitBytes);
        using var deadline = new RunDeadline(request.Timeout ?? options.DefaultTimeout, cancel);
        try
        {
            while (true)
            {
                if (policy.RefusalForHost(hop.Url.IdnHost) is { } refusal) return RunResult.Failed($"{hop.Describe()} refused: {refusal}");
                using var message = hop.ToMessage();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                    .ConfigureAwait(false);
                if (hop.Follow(response) is not { } next)
                {
                    await ReadBodyAsync(response, output, deadline.Token).ConfigureAwait(false);
                    return response.IsSuccessStatusCode
                        ? RunResult.Succeeded(output.ToString())
                        : RunResult.Failed(StatusLine(response), output.ToString());
                }
                if (next.SchemeRefusal(hop) is { } schemeRefusal) return RunResult.Failed($"{next.Describe()} refused: {schemeRefusal}");
                if (next.Redirects > options.MaxRedirects)
                    return RunResult.Failed($"{next.Describe()} not followed: this worker follows at most {options.MaxRedirects} " +
                        "redirects per run (actor-scheduler.worker.http.max-redirects)");
                hop = next;
            }
        }
        catch (OperationCanceledException) when (deadline.IsOver)
        {
            var aborted = deadline.Aborted(output.ToString());
            return aborted.Outcome == RunStatus.TimedOut && request.Timeout is null
                ? aborted with { Error = aborted.Error + " (the worker's limit for HTTP runs whose job sets no timeout: actor-scheduler.worker.http.default-timeout)" }
                : aborted;
        }
        catch (HttpRequestException e) when (e.InnerException is DestinationRefusedException refused)
        {
            return RunResult.Failed($"{hop.Describe()} refused: {refused.Reason}", output.ToString());
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return RunResult.Failed(Describe(e), output.ToString());
        }
    }

    public void Dispose()
    {
        client.Dispose();
        handler.Dispose();
    }

    private async Task ReadBodyAsync(HttpResponseMessage response, OutputTail output, CancellationToken cancel)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        var left = options.MaxResponseBytes;
        while (true)
        {
            // Asking for one byte past the bound tells a body that ends exactly there from one that goes on.
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left + 1)), cancel).ConfigureAwait(false);
            if (read == 0) return;
            if (read > left)
            {
                output.Append(buffer.AsSpan(0, (int)left));
                output.Append(string.Create(CultureInfo.InvariantCulture,
                    $"\n[… response cut off after {options.MaxResponseBytes} bytes; the rest was not read]\n"));
                return;
            }
            output.Append(buffer.AsSpan(0, read));
            left -= read;
        }
    }

    private static string StatusLine(HttpResponseMessage response) =>
        $"HTTP {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}".TrimEnd();

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
}
