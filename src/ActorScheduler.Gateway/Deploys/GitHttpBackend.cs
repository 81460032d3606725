using System.Diagnostics;
using System.Text;
using ActorScheduler.Engine.Deploys;
using ActorScheduler.Engine.Security;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ActorScheduler.Gateway.Deploys;

/// <summary>
/// <c>/git/{**path}</c>: git's smart HTTP, served by git's own CGI program (<c>git http-backend</c>) over the gateway's
/// repository root. The request body streams to its standard input, its CGI headers become the answer's status and
/// headers, and the rest of its output streams back. The API token guards it (git sends it as the HTTP Basic password:
/// any user name; a Bearer header works too); a gateway without a token (loopback only) serves it to anyone who reaches
/// it, as it does the API. Bounds: <see cref="DeploySettings.MaxPushBytes"/> per request body (413),
/// one push at a time (a second waits up to <see cref="DeploySettings.GitTimeout"/>, then 503), and
/// <see cref="DeploySettings.GitTimeout"/> per git process (killed); each is logged.
/// </summary>
internal sealed class GitHttpBackend(DeploySettings settings, string? token, ILogger log)
{
    private const int MaxHeaderLines = 100;

    private readonly SemaphoreSlim _push = new(1, 1);
    private readonly ApiToken? _token = token is { Length: > 0 } ? new ApiToken(token) : null;

    public async Task Serve(HttpContext http, string? path)
    {
        if (Refusal(http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }
        // Only paths inside the repository root: no "." or ".." segment reaches git, whatever it would make of them.
        if (string.IsNullOrEmpty(path) || path.Split('/').Any(segment => segment is "." or ".." || segment.Contains('\\')))
        {
            await ApiResults.Problem(StatusCodes.Status404NotFound, "No such repository path.").ExecuteAsync(http);
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = settings.MaxPushBytes;
        var pushing = HttpMethods.IsPost(http.Request.Method) && (path ?? "").EndsWith("/git-receive-pack", StringComparison.Ordinal);
        if (pushing && !await _push.WaitAsync(settings.GitTimeout, http.RequestAborted))
        {
            log.LogWarning("A git push waited {Timeout} for the push before it and was refused (503)", settings.GitTimeout);
            await ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Another push is being deployed; push again in a moment.").ExecuteAsync(http);
            return;
        }
        try
        {
            await RunAsync(http, "/" + (path ?? ""));
        }
        finally
        {
            if (pushing)
                _push.Release();
        }
    }

    /// <summary>401 with <c>WWW-Authenticate: Basic</c> without credentials (git then asks for them), 403 for a wrong token.</summary>
    private IResult? Refusal(HttpContext http)
    {
        if (_token is null)
            return null;
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? Password(header[6..].Trim())
            : header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim()
            : null;
        if (presented is null)
        {
            http.Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"ActorScheduler\", charset=\"UTF-8\"";
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, "git over HTTP needs the API token as the password (any user name).");
        }
        return _token.Matches(presented) ? null : ApiResults.Problem(StatusCodes.Status403Forbidden, "The password is not this gateway's API token.");
    }

    private static string? Password(string basic)
    {
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
            return pair.IndexOf(':') is var colon and >= 0 ? pair[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async Task RunAsync(HttpContext http, string pathInfo)
    {
        var info = new ProcessStartInfo(settings.Git) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("http-backend");
        GitProcess.Isolate(info);
        foreach (var (name, value) in Environment(http, pathInfo))
            info.Environment[name] = value;
        using var process = GitProcess.Start(info);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(settings.GitTimeout);
        var errors = GitProcess.ReadErrorsAsync(process.StandardError);
        var feeding = FeedAsync(http.Request.Body, process.StandardInput.BaseStream, deadline.Token);
        try
        {
            await AnswerAsync(http, process.StandardOutput.BaseStream, deadline.Token);
            await feeding;
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            GitProcess.Kill(process);
            log.LogWarning("git http-backend for {Method} {Path} ran longer than {Timeout} ({Path2}) and was killed", http.Request.Method, pathInfo,
                settings.GitTimeout, DeploySettings.Path + ".git-timeout");
            if (!http.Response.HasStarted)
                http.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
        catch (Exception)
        {
            GitProcess.Kill(process);
            throw;
        }
        if (await errors is { Length: > 0 } stderr)
            log.LogInformation("git http-backend {Method} {Path}: {Errors}", http.Request.Method, pathInfo, stderr);
    }

    /// <summary>The CGI variables git http-backend reads, and where this push's hook reaches the deploy endpoint.</summary>
    private IEnumerable<(string, string)> Environment(HttpContext http, string pathInfo)
    {
        var request = http.Request;
        yield return ("GATEWAY_INTERFACE", "CGI/1.1");
        yield return ("GIT_PROJECT_ROOT", settings.RepositoryRoot);
        yield return ("GIT_HTTP_EXPORT_ALL", "1");
        yield return ("PATH_INFO", pathInfo);
        yield return ("REQUEST_METHOD", request.Method);
        yield return ("QUERY_STRING", request.QueryString.HasValue ? request.QueryString.Value![1..] : "");
        // A user makes http-backend accept pushes; who it is was settled by the token above.
        yield return ("REMOTE_USER", "actorscheduler");
        yield return ("REMOTE_ADDR", http.Connection.RemoteIpAddress?.ToString() ?? "");
        if (request.ContentType is { } type)
            yield return ("CONTENT_TYPE", type);
        if (request.ContentLength is { } length)
            yield return ("CONTENT_LENGTH", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
            yield return ("HTTP_CONTENT_ENCODING", encoding);
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
            yield return ("HTTP_GIT_PROTOCOL", protocol);
        var local = http.Connection.LocalIpAddress;
        var host = local is null ? "127.0.0.1" : local.IsIPv4MappedToIPv6 ? local.MapToIPv4().ToString()
            : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        yield return ("ACTORSCHEDULER_DEPLOY_URL", $"http://{host}:{http.Connection.LocalPort}{GatewayEndpoints.ApiPrefix}/scripts/deploy");
        if (token is { Length: > 0 })
            yield return ("ACTORSCHEDULER_DEPLOY_TOKEN", token);
    }

    private async Task FeedAsync(Stream body, Stream input, CancellationToken cancel)
    {
        try
        {
            await body.CopyToAsync(input, cancel);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            log.LogWarning("A git request body larger than {Limit} bytes ({Path}.max-push-megabytes) was cut off", settings.MaxPushBytes, DeploySettings.Path);
        }
        catch (IOException)
        {
            // git stopped reading (it refused the request); its answer says why.
        }
        finally
        {
            await input.DisposeAsync();
        }
    }

    /// <summary>CGI headers (<c>Status: 404 Not Found</c>, <c>Content-Type: …</c>) up to the blank line, then the body as it comes.</summary>
    private static async Task AnswerAsync(HttpContext http, Stream output, CancellationToken cancel)
    {
        for (var lines = 0; ; lines++)
        {
            var line = await ReadLineAsync(output, cancel);
            if (line is null || line.Length == 0)
                break;
            if (lines >= MaxHeaderLines)
                throw new InvalidOperationException($"git http-backend sent more than {MaxHeaderLines} header lines");
            var colon = line.IndexOf(':');
            if (colon <= 0)
                continue;
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                http.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            else
                http.Response.Headers.Append(name, value);
        }
        await output.CopyToAsync(http.Response.Body, cancel);
    }

    /// <summary>One header line, read a byte at a time so that nothing of the body is consumed; null at the end of the output.</summary>
    private static async Task<string?> ReadLineAsync(Stream output, CancellationToken cancel)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await output.ReadAsync(one, cancel) == 1)
        {
            if (one[0] == '\n')
                return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
            if (line.Count >= 8_192)
                throw new InvalidOperationException("git http-backend sent a header line longer than 8 KB");
            line.Add(one[0]);
        }
        return line.Count == 0 ? null : Encoding.ASCII.GetString(line.ToArray());
    }
}
