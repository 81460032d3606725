using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// The restore drill of docs/OPERATIONS.md with real processes: a node with jobs and history, a hot backup taken while
/// jobs fire every second, the node gone, <c>actor-scheduler restore</c> into an empty data directory (or database),
/// and a new node on it that has every job back with its state and history.
/// </summary>
public sealed class BackupRestoreSpecs
{
    /// <summary>Jobs firing every second, the load the backup is taken under.</summary>
    private static readonly string[] Firing = Enumerable.Range(1, 12).Select(i => $"firing-{i}").ToArray();

    /// <summary>Jobs whose state does not move on its own: a paused one, a canceled one, an on-demand one with runs.</summary>
    private static readonly string[] Still = ["paused", "canceled", "on-demand"];

    [Fact]
    public async Task Should_bring_back_every_job_with_its_state_and_history_when_restoring_a_backup_taken_while_jobs_fire()
    {
        var original = NewDirectory("as-backup-source-");
        var backup = Path.Combine(Path.GetTempPath(), $"as-backup-{Guid.NewGuid():N}.db");
        Dictionary<string, JsonNode> before;
        await using (var node = await NodeProcess.StartAsync(original))
        {
            await CreateJobs(node);
            before = await Views(node);
            await TakeBackup(node, backup);
        }

        var refused = await Restore(backup, "--data", original);
        Assert.True(refused.ExitCode == 2, $"a restore into the used data directory should be refused: {refused.Output}");
        Assert.Contains("is not empty", refused.Output);
        Assert.False(File.Exists(Path.Combine(original, "scheduler.db.restoring")), "a refused restore leaves nothing behind");

        var restored = NewDirectory("as-backup-restored-");
        var restore = await Restore(backup, "--data", restored);
        Assert.True(restore.ExitCode == 0, $"the restore should succeed: {restore.Output}");
        Assert.Equal("scheduler.db", Path.GetFileName(Assert.Single(Directory.GetFiles(restored)))); // no temporary file left beside it

        await using var again = await NodeProcess.StartAsync(restored);
        await ExpectRestored(again, before);
        File.Delete(backup);
    }

    [Fact]
    public async Task Should_bring_back_every_job_in_an_empty_postgres_database_and_refuse_one_that_holds_rows()
    {
        var (source, target) = ("as_backup_src_" + Guid.NewGuid().ToString("N")[..10], "as_backup_dst_" + Guid.NewGuid().ToString("N")[..10]);
        await Postgres.CreateDatabaseAsync(source);
        await Postgres.CreateDatabaseAsync(target);
        try
        {
            var backup = Path.Combine(Path.GetTempPath(), $"as-backup-{Guid.NewGuid():N}.db");
            Dictionary<string, JsonNode> before;
            await using (var node = await NodeProcess.StartAsync(environment: OnPostgres(source)))
            {
                await CreateJobs(node);
                before = await Views(node);
                await TakeBackup(node, backup);
            }

            var restore = await Restore(backup, "--postgres", Postgres.ConnectionString(target));
            Assert.True(restore.ExitCode == 0, $"the restore should succeed: {restore.Output}");
            var refused = await Restore(backup, "--postgres", Postgres.ConnectionString(target));
            Assert.True(refused.ExitCode == 2, $"a second restore into the same database should be refused: {refused.Output}");
            Assert.Contains("is not empty", refused.Output);

            await using var again = await NodeProcess.StartAsync(environment: OnPostgres(target));
            await ExpectRestored(again, before);
            File.Delete(backup);
        }
        finally
        {
            await Postgres.DropDatabaseAsync(source);
            await Postgres.DropDatabaseAsync(target);
        }
    }

    private static async Task CreateJobs(NodeProcess node)
    {
        foreach (var id in Firing)
            await Created(node, $$"""{ "id": "{{id}}", "schedule": { "every": { "seconds": 1 } }, "run": { "handler": { "name": "noop" } }, "tags": ["drill"] }""");
        foreach (var id in Still)
            await Created(node, $$"""{ "id": "{{id}}", "schedule": { "cron": "0 0 3 * * *" }, "run": { "handler": { "name": "echo", "arguments": ["{{id}}"] } } }""");
        foreach (var id in Still)
            for (var run = 1; run <= 2; run++) // one at a time: overlap skip refuses a trigger while a run is in flight
            {
                Assert.Equal(HttpStatusCode.Accepted, (await node.PostJson($"/api/v1/jobs/{id}/trigger", $$"""{ "data": { "run": {{run}} } }""")).StatusCode);
                await node.Eventually($"/api/v1/jobs/{id}", job => job["runCount"]!.GetValue<int>() == run && job["status"]!.GetValue<string>() == "scheduled",
                    $"run {run} of {id} finished");
            }
        Assert.Equal(HttpStatusCode.OK, (await node.PostJson("/api/v1/jobs/paused/pause", """{ "reason": "drill" }""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.DeleteAsync("/api/v1/jobs/canceled")).StatusCode);
        foreach (var id in Firing)
            await node.Eventually($"/api/v1/jobs/{id}", job => job["runCount"]!.GetValue<int>() >= 3, $"three runs of {id}");
    }

    /// <summary>Every job's view just before the backup: what the restored node must show at least.</summary>
    private static async Task<Dictionary<string, JsonNode>> Views(NodeProcess node)
    {
        var views = new Dictionary<string, JsonNode>();
        foreach (var id in Firing.Concat(Still))
            views[id] = await node.GetJson($"/api/v1/jobs/{id}");
        return views;
    }

    /// <summary>The hot backup, while the firing jobs keep firing (they have to go on firing after it, too).</summary>
    private static async Task TakeBackup(NodeProcess node, string file)
    {
        using var response = await node.Http.GetAsync("/api/v1/export");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"export: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await using (var target = File.Create(file))
            await response.Content.CopyToAsync(target);
        var after = await node.GetJson($"/api/v1/jobs/{Firing[0]}");
        await node.Eventually($"/api/v1/jobs/{Firing[0]}", job => job["runCount"]!.GetValue<int>() > after["runCount"]!.GetValue<int>(),
            "a run after the export");
    }

    private static async Task ExpectRestored(NodeProcess node, Dictionary<string, JsonNode> before)
    {
        foreach (var (id, then) in before)
        {
            var now = await node.GetJson($"/api/v1/jobs/{id}");
            Assert.True(now["version"]!.GetValue<long>() >= then["version"]!.GetValue<long>(), $"{id}: version {now["version"]} after the restore, {then["version"]} before the backup");
            Assert.True(JsonNode.DeepEquals(then["definition"], now["definition"]), $"{id}: definition {now["definition"]} after, {then["definition"]} before");
            if (Still.Contains(id))
                Assert.Equal(then["status"]!.GetValue<string>(), now["status"]!.GetValue<string>());
            var history = await node.GetJson($"/api/v1/jobs/{id}/history");
            var seqs = history["items"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()).ToList();
            Assert.True(seqs.Count > 0 && seqs[0] == 1 && seqs[^1] >= then["version"]!.GetValue<long>(), $"{id}: history {string.Join(",", seqs)}");
        }
        foreach (var id in Still)
        {
            var runs = await node.GetJson($"/api/v1/jobs/{id}/runs");
            Assert.True(runs["items"]!.AsArray().Count(r => r!["status"]!.GetValue<string>() == "succeeded") == 2, $"{id}: runs {runs.ToJsonString()}");
        }
        Assert.Equal("drill", (await node.GetJson("/api/v1/jobs/paused"))["pausedReason"]!.GetValue<string>());
        foreach (var id in Firing)
        {
            var ran = before[id]["runCount"]!.GetValue<int>();
            await node.Eventually($"/api/v1/jobs/{id}", job => job["runCount"]!.GetValue<int>() > ran + 1, $"{id} firing again on the restored node");
        }
    }

    private static async Task Created(NodeProcess node, string json)
    {
        var response = await node.PostJson("/api/v1/jobs", json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static Dictionary<string, string> OnPostgres(string database) => new()
    {
        ["ACTORSCHEDULER__DATABASE__PROVIDER"] = "postgres",
        ["ACTORSCHEDULER__DATABASE__POSTGRES_CONNECTION"] = Postgres.ConnectionString(database),
    };

    private static string NewDirectory(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    /// <summary><c>actor-scheduler restore &lt;file&gt; …</c> as a process: its exit code and what it printed.</summary>
    private static async Task<(int ExitCode, string Output)> Restore(string file, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Build.NodeDll)! };
        foreach (var argument in new[] { Build.NodeDll, "restore", file }.Concat(options))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start actor-scheduler restore");
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
