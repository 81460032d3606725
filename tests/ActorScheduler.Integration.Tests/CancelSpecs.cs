using System.Net;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// Canceling a run at any moment of its life (pending, just handed to the worker, running) over the real node: the
/// run ends as canceled only once no process of it is left, and <c>overlap: skip</c> never starts a run beside one.
/// </summary>
public sealed class CancelSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("as-cancel-").FullName;

    private string Pids => Path.Combine(_directory, "pids");

    private string Overlaps => Path.Combine(_directory, "overlaps");

    /// <summary>Each run first looks for a live process of an earlier run (an orphan), then records its own and sleeps.</summary>
    private string Definition => $$"""
        { "id": "long-task", "overlap": "skip",
          "run": { "shell": { "command": ["bash", "-c",
            "for p in $(cat {{Pids}} 2>/dev/null); do if kill -0 $p 2>/dev/null; then echo \"$SCHEDULER_RUN_ID overlaps $p\" >> {{Overlaps}}; fi; done; echo $$ >> {{Pids}}; exec sleep 120"] } } }
        """;

    [Fact]
    public async Task Should_leave_no_process_behind_and_start_no_run_beside_one_whatever_moment_a_run_is_canceled()
    {
        await using var node = await NodeProcess.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await node.PostJson("/api/v1/jobs", Definition)).StatusCode);

        // From "just triggered" (pending, maybe already handed to the worker) to "surely running".
        foreach (var delay in new[] { 0, 0, 0, 10, 30, 60, 120, 250, 500, 1500 })
        {
            var trigger = await node.PostJson("/api/v1/jobs/long-task/trigger", "{}");
            Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
            var runId = JsonNode.Parse(await trigger.Content.ReadAsStringAsync())!["runId"]!.GetValue<string>();
            if (delay > 0)
                await Task.Delay(delay);

            var cancel = await node.PostJson($"/api/v1/runs/{Uri.EscapeDataString(runId)}/cancel", "");
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            await node.Eventually($"/api/v1/runs/{Uri.EscapeDataString(runId)}", r => r["status"]!.GetValue<string>() == "canceled",
                $"run {runId} (canceled {delay} ms after its trigger) to end as canceled");

            var alive = LivePids();
            Assert.True(alive.Count == 0, $"run {runId}, canceled {delay} ms after its trigger, reads canceled while process(es) {string.Join(", ", alive)} still live");
        }

        Assert.False(File.Exists(Overlaps), $"runs started beside an earlier run's process: {(File.Exists(Overlaps) ? File.ReadAllText(Overlaps) : "")}");
    }

    private List<int> LivePids() =>
        File.Exists(Pids)
            ? File.ReadAllLines(Pids).Where(l => l.Length > 0).Select(int.Parse).Where(IsAlive).ToList()
            : [];

    /// <summary>A live process, not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
