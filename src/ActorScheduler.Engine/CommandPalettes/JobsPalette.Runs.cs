using ActorScheduler.CommandHost;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.CommandPalettes;

public static partial class JobsPalette
{
    private sealed record RunLine(string RunId, string Status, string Trigger, string? Scheduled, string? Started, string? Finished, string? Worker,
        int? ExitCode, int Attempt);

    private static async Task Runs(CommandContext context, JobService jobs)
    {
        var status = Enum<RunStatus>(context.Get("status"));
        var (from, to) = (context.Time("from"), context.Time("to"));
        if (from is not null && to is not null && to <= from)
            throw new CommandUsageException("--to must be after --from.");
        var limit = context.Int("limit", 1, 1000);
        var listed = Expect<RunsListed>(await jobs.Runs(ParseId(context.Required("id")), context.Cancel));
        var rows = new RunFilter(status, from, to, limit).Apply(listed.Runs)
            .Select(run => new RunLine(run.RunId, Wire(run.Status), Wire(run.Trigger), Format(run.ScheduledFor), Format(run.StartedAt),
                Format(run.FinishedAt), run.Worker, run.ExitCode, run.Attempt))
            .ToList();
        await context.Table(rows, ["runId", "status", "trigger", "scheduled", "started", "finished", "worker", "exitCode"], $"{rows.Count} runs");
    }

    private sealed record HistoryLine(long Seq, string Type, string? At, string Summary, System.Text.Json.JsonElement? Data);

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
            .Select(e => new HistoryLine(e.Seq, e.Type, Format(e.At), Summary(e.Data), e.Data is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } data ? data : null))
            .ToList();
        var total = Math.Max(last == long.MaxValue ? 0 : last, rows.Count == 0 ? 0 : rows[^1].Seq);
        await context.Table(rows, ["seq", "type", "at", "summary"],
            rows.Count < total ? $"the last {rows.Count} of {total} events (--limit for more)" : $"{rows.Count} events");
    }

    private static string Summary(System.Text.Json.JsonElement? data)
    {
        if (data is not { ValueKind: System.Text.Json.JsonValueKind.Object } element)
            return "";
        var text = element.GetRawText();
        return text.Length <= 100 ? text : text[..97] + "…";
    }
}
