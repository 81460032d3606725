using System.Net;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>The all-in-one node as a user meets it: a real process, real HTTP, real shell jobs.</summary>
public sealed class NodeSpecs
{
    private static int Count(JsonNode runs, Func<JsonNode, bool> which) => runs["items"]!.AsArray().Count(r => which(r!));

    private static string Status(JsonNode run) => run["status"]!.GetValue<string>();

    [Fact]
    public async Task Should_run_an_every_two_seconds_shell_job_with_its_output_and_progress()
    {
        await using var node = await NodeProcess.StartAsync();
        var created = await node.PostJson("/api/v1/jobs", """
            { "id": "hello", "schedule": { "every": { "seconds": 2 } },
              "run": { "shell": { "command": ["bash", "-c",
                "echo \"hello from $SCHEDULER_JOB_ID run $SCHEDULER_RUN_ID\"; echo '>>> scheduler.progress(1, 2)' >&2; echo note >&2"] } } }
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var runs = await node.Eventually("/api/v1/jobs/hello/runs",
            r => Count(r, run => Status(run) == "succeeded") >= 2, "two succeeded runs");

        var succeeded = runs["items"]!.AsArray().First(r => Status(r!) == "succeeded")!;
        var output = succeeded["output"]!.GetValue<string>();
        Assert.Contains("hello from hello run hello~", output);
        Assert.Contains("note", output);
        Assert.DoesNotContain(">>> scheduler.progress", output);
        Assert.Equal(0, succeeded["exitCode"]!.GetValue<int>());
        Assert.Equal("it-worker", succeeded["worker"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_apply_each_misfire_policy_to_the_occurrences_missed_while_killed()
    {
        var data = Path.Combine(Path.GetTempPath(), "as-recovery-" + Guid.NewGuid().ToString("N"));
        await using (var first = await NodeProcess.StartAsync(data))
        {
            foreach (var policy in new[] { "skip", "fireOnce", "fireAll" })
            {
                var response = await first.PostJson("/api/v1/jobs", $$"""
                    { "id": "every2-{{policy}}", "schedule": { "every": { "seconds": 2 } },
                      "misfire": { "policy": "{{policy}}" }, "run": { "handler": { "name": "noop" } } }
                    """);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
            foreach (var policy in new[] { "skip", "fireOnce", "fireAll" })
                await first.Eventually($"/api/v1/jobs/every2-{policy}/runs", r => Count(r, run => Status(run) == "succeeded") >= 1, $"a first run of {policy}");
            first.Kill();
        }

        // The outage: long enough for several 2-second occurrences to pass unrun.
        await Task.Delay(TimeSpan.FromSeconds(9));
        await using var second = await NodeProcess.StartAsync(data);

        var skip = await second.Eventually("/api/v1/jobs/every2-skip/history",
            h => HasSkip(h, "misfire: skipped by policy"), "the skip policy's record of the missed occurrences");
        var fireOnce = await second.Eventually("/api/v1/jobs/every2-fireOnce/runs",
            r => Count(r, run => run["trigger"]!.GetValue<string>() == "catchUp") >= 1, "one catch-up run (fireOnce)");
        await second.Eventually("/api/v1/jobs/every2-fireOnce/history", h => HasSkip(h, "coalesced"), "fireOnce's coalesced occurrences");
        await second.Eventually("/api/v1/jobs/every2-fireAll/runs",
            r => Count(r, run => run["trigger"]!.GetValue<string>() == "catchUp" && Status(run) == "succeeded") >= 3,
            "a catch-up run for each missed occurrence (fireAll)");

        Assert.Equal(1, Count(fireOnce, run => run["trigger"]!.GetValue<string>() == "catchUp"));
        Assert.NotNull(skip);
    }

    private static bool HasSkip(JsonNode history, string reason) =>
        history["items"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == "runs-skipped" &&
            e["data"]!["reason"]!.GetValue<string>().Contains(reason));
}
