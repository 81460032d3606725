using System.Text.Json;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Tests;

/// <summary>What the fake host answers to each command of <see cref="TestPalettes"/>.</summary>
internal static class FakeAnswers
{
    public const string JobsFooter = "Count: 2 jobs";
    public const string MembersFooter = "Count: 2 members";
    public const string StreamedLine = "run nightly~1 wrote a line";

    /// <summary>Answers the request; false when the host should drop the connection instead (a node going away).</summary>
    public static bool KeepsConnection(Request request) => request is not { Palette: "cluster", Command: "leave" };

    public static async Task AnswerAsync(FakeCommandHost host, Request request, Func<Frame, Task> send, CancellationToken canceled)
    {
        try
        {
            if (request is { Palette: "jobs", Command: "tail" })
                await StreamAsync(host, request.Id, send, canceled);
            else if (request is { Palette: "cluster", Command: "unreachable" })
                await NeverAnswerAsync(request.Id, send, canceled);
            else
                foreach (var frame in Answer(request))
                    await send(frame);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the client left
        }
    }

    private static IEnumerable<Frame> Answer(Request request)
    {
        var id = request.Id;
        switch ($"{request.Palette} {request.Command}")
        {
            case "jobs list":
                yield return new Output(id, OutputViews.Table, Data(new[]
                {
                    new { id = "nightly", status = "scheduled", next = (string?)"2025-06-01T02:00:00Z" },
                    new { id = "hourly", status = "paused", next = (string?)null },
                }), ["id", "status", "next"], JobsFooter);
                break;
            case "jobs show" when request.Arguments["id"] == "missing":
                yield return new End(id, EndStatus.Failed, "Job 'missing' does not exist.");
                yield break;
            case "jobs show":
                yield return new Output(id, OutputViews.Object,
                    Data(new { id = request.Arguments["id"], status = "scheduled", schedule = new { cron = "0 2 * * *" }, tags = new[] { "a", "b" } }));
                break;
            case "cluster show":
                yield return new Output(id, OutputViews.Lines, Data(new[]
                {
                    new { address = "akka.tcp://actor-scheduler@10.0.0.5:4053", status = "Up", roles = "scheduler" },
                    new { address = "akka.tcp://actor-scheduler@10.0.0.6:4053", status = "Up", roles = "worker" },
                }), ["address", "status", "roles"], MembersFooter);
                break;
            case "cluster down" when request.Arguments["address"] == "bad":
                yield return new End(id, EndStatus.Usage, "'bad' is not a member address.");
                yield break;
            case "jobs create" when request.Arguments["file"].Contains("refuse-me"):
                yield return new End(id, EndStatus.Usage, "jobs[1].schedule.cron: '61' is not a minute.");
                yield break;
            case "jobs create" or "jobs trigger" or "jobs runs" or "jobs level" or "cluster down" or "cluster leader":
                yield return new Output(id, OutputViews.Text, Data($"{request.Command}: {JsonSerializer.Serialize(request.Arguments)}"));
                break;
            default:
                yield return new End(id, EndStatus.Failed, $"The fake host has no answer for '{request.Palette} {request.Command}'.");
                yield break;
        }
        yield return new End(id, EndStatus.Ok);
    }

    /// <summary>A run's progress and output lines, a frame at a time, until the client cancels.</summary>
    private static async Task StreamAsync(FakeCommandHost host, int id, Func<Frame, Task> send, CancellationToken canceled)
    {
        for (var done = 0; !canceled.IsCancellationRequested; done = Math.Min(done + 1, 10))
        {
            var state = done == 10 ? "succeeded" : "running";
            await send(new Output(id, OutputViews.Progress, Data(new { key = "nightly~1", label = "nightly~1", done, total = 10, state })));
            if (done == 0)
                await send(new Output(id, OutputViews.Text, Data(StreamedLine)));
            host.StreamStarted.TrySetResult();
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
        if (!host.IgnoresCancel)
            await send(new End(id, EndStatus.Canceled));
    }

    /// <summary>A command stuck on the node: it ends only when the client cancels it.</summary>
    private static async Task NeverAnswerAsync(int id, Func<Frame, Task> send, CancellationToken canceled)
    {
        await Task.Delay(Timeout.Infinite, canceled).ContinueWith(_ => { }, CancellationToken.None);
        await send(new End(id, EndStatus.Canceled));
    }

    private static JsonElement Data(object value) => JsonSerializer.SerializeToElement(value, CommandProtocol.Json);
}
