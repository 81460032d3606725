using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Runners.Scripts;
using ActorScheduler.Runners.Shell;
using ActorScheduler.Runners.Tests.Support;

namespace ActorScheduler.Runners.Tests;

/// <summary>
/// What the script API needs from a worker's runners: the payload on standard input when asked, the API's URL and the
/// run's own token in its environment, and a way into a running run that takes messages only under its fencing token,
/// while it runs, with logged lines in its output in the order they came.
/// </summary>
public sealed class ScriptChannelSpecs
{
    private sealed class Recording : IRunObserver
    {
        public List<string> Seen { get; } = [];

        public void Progress(long current, long? max) => Seen.Add($"progress {current}/{max}");

        public void Emit(string eventName, JsonElement? data) => Seen.Add($"emit {eventName} {data?.GetRawText()}");

        public void Output(string line) => Seen.Add($"output {line.TrimEnd('\n')}");
    }

    private static RunRequest Bash(string script, string? stdin = null, JsonElement? data = null) =>
        Runs.Request(new RunSpec { Shell = new ShellRunSpec { Command = ["bash", "-c", script], Stdin = stdin } }, data: data);

    [Fact]
    public async Task Should_hand_the_payload_on_standard_input_only_when_the_job_asks_for_it()
    {
        var runner = new ShellRunner(ShellPolicy.AllowAny);
        var data = JsonDocument.Parse("""{"customer":42,"items":[1,2]}""").RootElement;

        var asked = await runner.RunAsync(Bash("cat; echo", "payload", data), NullRunObserver.Instance, CancellationToken.None).Within();
        var notAsked = await runner.RunAsync(Bash("cat; echo end", null, data), NullRunObserver.Instance, CancellationToken.None).Within();
        var unread = await runner.RunAsync(Bash("echo did not read", "payload", data), NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal(("""{"customer":42,"items":[1,2]}""" + "\n", RunStatus.Succeeded), (asked.Output, asked.Outcome));
        Assert.Equal("end\n", notAsked.Output);
        Assert.Equal(("did not read\n", RunStatus.Succeeded), (unread.Output, unread.Outcome));
    }

    [Fact]
    public async Task Should_tell_each_run_the_api_url_and_its_own_token()
    {
        var runner = new ShellRunner(ShellPolicy.AllowAny, new ShellRunnerOptions
        {
            ScriptApi = new ScriptApi("http://127.0.0.1:5080", request => $"token-for-{request.RunId}-{request.FencingToken}"),
        });

        var result = await runner.RunAsync(Bash("echo \"$SCHEDULER_API_URL $SCHEDULER_RUN_TOKEN\""), NullRunObserver.Instance, CancellationToken.None).Within();

        Assert.Equal("http://127.0.0.1:5080 token-for-nightly-billing~7-41\n", result.Output);
    }

    [Fact]
    public async Task Should_deliver_only_under_the_run_fencing_token_while_it_runs_and_merge_logged_lines_into_its_output()
    {
        var channels = new ScriptChannels();
        var observer = new Recording();
        var gate = Path.Combine(Path.GetTempPath(), "as-channel-" + Guid.NewGuid().ToString("N"));
        var request = Bash($"echo first; while [ ! -e '{gate}' ]; do sleep 0.05; done; echo last");
        var runner = new ScriptChannelRunner(new ShellRunner(ShellPolicy.AllowAny), channels, 64 * 1024);

        var running = runner.RunAsync(request, observer, CancellationToken.None);
        string? refusal = "not yet";
        for (var i = 0; i < 600 && refusal is not null; i++, await Task.Delay(50))
            refusal = channels.Deliver(request.RunId, request.FencingToken, new ScriptProgress(1, 2));
        Assert.Null(refusal);
        Assert.NotNull(channels.Deliver(request.RunId, request.FencingToken - 1, new ScriptProgress(2, 2)));
        Assert.NotNull(channels.Deliver(new RunId(request.JobId, 8), request.FencingToken, new ScriptProgress(2, 2)));
        await EventuallyAsync(() => observer.Seen.Contains("output first"));
        Assert.Null(channels.Deliver(request.RunId, request.FencingToken, new ScriptLog(["logged", "twice"])));
        Assert.Null(channels.Deliver(request.RunId, request.FencingToken, new ScriptEmit("done", JsonDocument.Parse("1").RootElement)));
        await File.WriteAllTextAsync(gate, "");
        var result = await running.Within();
        File.Delete(gate);

        Assert.Equal("first\nlogged\ntwice\nlast\n", result.Output);
        // The progress goes as soon as the channel opens, and the script's first line may be read before or after it.
        Assert.Single(observer.Seen, seen => seen == "progress 1/2");
        Assert.Equal(["output first", "output logged", "output twice", "emit done 1", "output last"], observer.Seen.Where(seen => seen != "progress 1/2"));
        Assert.NotNull(channels.Deliver(request.RunId, request.FencingToken, new ScriptProgress(2, 2)));
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }
}
