using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ActorScheduler.Runners.Tests.Support;

internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP server on a loopback address (127.0.0.1 unless a spec picks another of 127.0.0.0/8, all of which
/// Linux routes to lo) and a free port. Each request is recorded, then answered by the spec's responder; the
/// stopping token lets a responder hang until the spec is over.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly Func<HttpListenerContext, CancellationToken, Task> respond;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    private LoopbackServer(HttpListener listener, Uri url, Func<HttpListenerContext, CancellationToken, Task> respond)
    {
        (this.listener, Url, this.respond) = (listener, url, respond);
        loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Completes when the first request has been read, before it is answered.</summary>
    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static LoopbackServer Start(Func<HttpListenerContext, CancellationToken, Task> respond, string address = "127.0.0.1")
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{address}:{port}/");
            try
            {
                listener.Start();
                return new LoopbackServer(listener, new Uri($"http://{address}:{port}/"), respond);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close(); // another process took the port between the probe and the bind
            }
        }
    }

    public static LoopbackServer Answering(int status, string body = "", string address = "127.0.0.1") => Start(async (context, _) =>
    {
        context.Response.StatusCode = status;
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
    }, address);

    /// <summary>Answers every request with <paramref name="status"/> and a Location header.</summary>
    public static LoopbackServer Redirecting(int status, string location, string address = "127.0.0.1") => Start((context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.RedirectLocation = location;
        return Task.CompletedTask;
    }, address);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            // The managed HttpListener loses a GetContext that races with Close: it queues the wait after Close has
            // failed the queued ones, and it never completes. The stop token ends the wait either way.
            try { context = await listener.GetContextAsync().WaitAsync(stopping.Token); }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream);
            var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, await reader.ReadToEndAsync()));
            FirstRequest.TrySetResult();
            await respond(context, stopping.Token);
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The spec is over or the client went away (a timed-out or canceled run); nothing left to answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing first fails a pending GetContext (if the listener still knows it) before the loop stops waiting.
        listener.Close();
        await stopping.CancelAsync();
        await loop.Within("the loopback server's accept loop to end after the listener closed");
        stopping.Dispose();
    }
}
