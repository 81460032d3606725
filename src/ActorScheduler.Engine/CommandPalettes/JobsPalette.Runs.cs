using ActorScheduler.CommandHost;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.CommandPalettes;

public static partial class JobsPalette
{
    private sealed record RunLine(string RunId, string Status, string Trigger, string? Scheduled, string? Started, string? Finished, string? Worker,
        int? ExitCode, int Attempt);

    /// <summary>The job's runs, newest first, from the runs read model (its whole history, read a page at a time up to --limit).</summary>
    private static async Task Runs(CommandContext context, JobService jobs)
    {
        var status = Enum<RunStatus>(context.Get("status"));
        var (from, to) = (context.Time("from"), context.Time("to"));
        if (from is not null && to is not null && to <= from)
            throw new CommandUsageException("--to must be after --from.");
        var limit = context.Int("limit", 1, 1000);
        var id = ParseId(context.Required("id"));
        var runs = new List<RunView>();
        RunPage? page = null;
        do
        {
            var after = page?.Next is { } next && RunCursor.TryParse(next, out var cursor) ? cursor : (RunCursor?)null;
            page = await jobs.ListRuns(new RunListQuery(id, status, null, null, from, to, limit - runs.Count, after, WithOutput: false), context.Cancel);
            runs.AddRange(page.Items);
        } while (page.Next is not null && runs.Count < limit);
        if (runs.Count == 0)
            Expect<JobFound>(await jobs.Get(id, context.Cancel)); // no runs, or no such job: the job says which
        var rows = runs
            .Select(run => new RunLine(run.RunId, Wire(run.Status), Wire(run.Trigger), Format(run.ScheduledFor), Format(run.StartedAt),
                Format(run.FinishedAt), run.Worker, run.ExitCode, run.Attempt))
            .ToList();
        await context.Table(rows, ["runId", "status", "trigger", "scheduled", "started", "finished", "worker", "exitCode"],
            page.Next is null ? $"{rows.Count} runs" : $"the newest {rows.Count} runs (--limit for more)");
    }

    /// <summary>Queues a backfill, as <c>POST /api/v1/jobs/{id}/backfill</c> does, and prints what it queued.</summary>
    private static async Task Backfill(CommandContext context, JobService jobs)
    {
        var (from, to) = (context.Time("from")!.Value, context.Time("to")!.Value);
        var command = new BackfillJob(from, to, Enum<Core.Definitions.OverlapPolicy>(context.Get("overlap")));
        var accepted = Expect<JobAccepted>(await jobs.Send(ParseId(context.Required("id")), command, context.Cancel));
        await context.Object(new { job = accepted.View.Id, queued = accepted.Backfill?.Count ?? 0, first = Format(accepted.Backfill?.First), last = Format(accepted.Backfill?.Last) });
    }

    private sealed record HistoryLine(long Seq, string Type, string? At, string? By, string Summary, System.Text.Json.JsonElement? Data);

    /// <summary>The last events of the job's journal (the data column is cut for the terminal; --json has it whole).</summary>
    private static async Task History(CommandContext context, JobService jobs)
    {
        var id = ParseId(context.Required("id"));
        var limit = context.Int("limit", 1, 10_000);
        // Only the last events are read: a job's journal can be long (its version is its last sequence number).
        var last = await jobs.Get(id, context.Cancel) is JobFound found ? found.View.Version : long.MaxValue;
        var page = await jobs.History(id, Math.Max(1, last - limit + 1), limit, context.Cancel)
                   ?? throw new CommandFailedException($"Job '{id}' has no history: it was never defined.");
        var rows = page.Items
            .Select(e => new HistoryLine(e.Seq, e.Type, Format(e.At), By(e.Data), Summary(e.Data), e.Data is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } data ? data : null))
            .ToList();
        var total = Math.Max(last == long.MaxValue ? 0 : last, rows.Count == 0 ? 0 : rows[^1].Seq);
        await context.Table(rows, ["seq", "type", "at", "by", "summary"],
            rows.Count < total ? $"the last {rows.Count} of {total} events (--limit for more)" : $"{rows.Count} events");
    }

    /// <summary>Who caused the event (the audit trail), when a caller did.</summary>
    private static string? By(System.Text.Json.JsonElement? data) =>
        data is { ValueKind: System.Text.Json.JsonValueKind.Object } element && element.TryGetProperty("by", out var by) ? by.GetString() : null;

    private static string Summary(System.Text.Json.JsonElement? data)
    {
        if (data is not { ValueKind: System.Text.Json.JsonValueKind.Object } element)
            return "";
        // A change says what it changed: the definition it holds is read with --json.
        if (element.TryGetProperty("changed", out var changed) && changed.ValueKind == System.Text.Json.JsonValueKind.Array)
            return changed.GetArrayLength() == 0 ? "changed: nothing (the same definition again)"
                : "changed: " + string.Join(", ", changed.EnumerateArray().Select(path => path.GetString()));
        var text = element.GetRawText();
        return text.Length <= 100 ? text : text[..97] + "…";
    }
}
