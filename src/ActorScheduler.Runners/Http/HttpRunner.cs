using System.Text;
using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Http;

/// <summary>
/// Calls an HTTP endpoint: the spec's method (GET, or POST when a body is given), headers and JSON body, plus
/// X-Scheduler-* headers naming the run and its fencing token (the HTTP form of the shell runner's SCHEDULER_*
/// variables). 2xx succeeds; any other status fails as "HTTP 503 Service Unavailable". The response body's
/// tail is the output, bounded like shell output and read as a stream, so a huge body costs no memory.
/// </summary>
public sealed class HttpRunner : IRunner
{
    private readonly HttpClient client;
    private readonly int outputLimitBytes;

    /// <summary>Uses <paramref name="client"/> as given; its own Timeout still applies and ends a run TimedOut.</summary>
    public HttpRunner(HttpClient client, int outputLimitBytes = OutputTail.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputLimitBytes, 1);
        this.client = client;
        this.outputLimitBytes = outputLimitBytes;
    }

    /// <summary>Builds its own client over <paramref name="handler"/>, which the caller keeps and disposes.</summary>
    public HttpRunner(HttpMessageHandler handler, int outputLimitBytes = OutputTail.DefaultCapacity)
        : this(new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, outputLimitBytes)
    {
    }

    public bool CanRun(RunSpec spec) => spec.Http is not null;

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        if (request.Run?.Http is not { } spec) return RunResult.Failed("not an http run");
        var (message, error) = BuildMessage(request, spec);
        if (message is null) return RunResult.Failed(error!);
        if (cancel.IsCancellationRequested) return RunResult.Canceled("canceled before the request was sent");

        using var _ = message;
        var output = new OutputTail(outputLimitBytes);
        using var deadline = new RunDeadline(request.Timeout, cancel);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                .ConfigureAwait(false);
            await ReadBodyAsync(response, output, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? RunResult.Succeeded(output.ToString())
                : RunResult.Failed(StatusLine(response), output.ToString());
        }
        catch (OperationCanceledException) when (deadline.IsOver)
        {
            return deadline.Aborted(output.ToString());
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            return RunResult.TimedOut($"timed out after the HTTP client's limit of {RunDeadline.Describe(client.Timeout)}", output.ToString());
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return RunResult.Failed(Describe(e), output.ToString());
        }
    }

    private static async Task ReadBodyAsync(HttpResponseMessage response, OutputTail output, CancellationToken cancel)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
            output.Append(buffer.AsSpan(0, read));
    }

    private static (HttpRequestMessage? Message, string? Error) BuildMessage(RunRequest request, HttpRunSpec spec)
    {
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return (null, $"run.http.url '{spec.Url}' is not an absolute http or https URL");
        var hasBody = spec.Body is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) };
        var method = string.IsNullOrWhiteSpace(spec.Method) ? (hasBody ? "POST" : "GET") : spec.Method.Trim().ToUpperInvariant();
        if (!IsToken(method)) return (null, $"run.http.method '{spec.Method}' is not an HTTP method");
        var message = new HttpRequestMessage(new HttpMethod(method), url);
        if (hasBody)
            message.Content = new StringContent(spec.Body!.Value.GetRawText(), Encoding.UTF8, "application/json");
        foreach (var (name, value) in spec.Headers ?? new Dictionary<string, string>())
        {
            if (TryAddHeader(message, name, value)) continue;
            message.Dispose();
            return (null, IsValidHeader(name, value)
                ? $"run.http.headers '{name}' is a content header and needs a body"
                : $"run.http.headers '{name}' is not a valid header name and value");
        }
        foreach (var (name, value) in RunIdentity.Headers(request))
        {
            message.Headers.Remove(name); // the run's own identity wins over a job header of the same name
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return (message, null);
    }

    /// <summary>Content headers such as Content-Type go on the body, replacing its default.</summary>
    private static bool TryAddHeader(HttpRequestMessage message, string name, string value)
    {
        if (!IsValidHeader(name, value)) return false;
        if (message.Headers.TryAddWithoutValidation(name, value)) return true;
        if (message.Content is not { } content) return false;
        content.Headers.Remove(name);
        return content.Headers.TryAddWithoutValidation(name, value);
    }

    private static bool IsValidHeader(string name, string? value) =>
        value is not null && IsToken(name) && !value.Any(c => c is '\r' or '\n' or '\0');

    // RFC 9110 token characters: what a method or a header name may consist of.
    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    private static string StatusLine(HttpResponseMessage response) =>
        $"HTTP {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}".TrimEnd();

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
}
