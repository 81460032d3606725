using System.Text.Json;
using ActorScheduler.CommandHost;
using ActorScheduler.Commands;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// The <c>jobs</c> palette: the HTTP API's job operations for operators at a terminal, through the same
/// <see cref="JobService"/> (so the same validation, the same refusals and the same list).
/// </summary>
public static partial class JobsPalette
{
    public const int DefaultListLimit = 50;

    private static readonly ParameterSpec JobArgument = Param.Argument("id", "The job's id");
    private static readonly ParameterSpec FileOption = Param.Option("file", "f", "A job definition as a JSON or YAML file (the HTTP API's JobDefinition)",
        ParameterTypes.Document, required: true);

    public static Palette Create(JobService jobs, TimeProvider clock) =>
        new Palette("jobs", "Jobs: list, show, create, replace, trigger, pause, resume, cancel; runs, history, live tail; schedule preview")
            .Command("list", "Jobs by id, filtered (a page at a time: --after the last id shown)", c => List(c, jobs),
                Param.Option("status", null, "Only jobs with this status", choices: Vocabulary<JobStatus>()),
                Param.Option("worker", null, "Only jobs that name this worker or pool"),
                Param.Option("tag", null, "Only jobs with this tag"),
                Param.Option("board", null, "Only the jobs of this board"),
                Param.Option("limit", "n", $"Jobs per page (at most {JobService.MaxPageSize})", ParameterTypes.Integer, DefaultListLimit.ToString()),
                Param.Option("after", null, "Start after this job id (the cursor the previous page printed)"))
            .Command("show", "A job: status, definition, next due time, last run", c => Show(c, jobs), JobArgument)
            .Command("describe", "A job summed up: occurrences missed and skipped, the next 10 times, the 10 most recent runs", c => Describe(c, jobs), JobArgument)
            .Command("create", "Create a job from a definition file (refused if the id exists)", c => Define(c, jobs, createOnly: true), FileOption)
            .Command("replace", "Create or replace a job from a definition file (--at: a dated edit, from that time on)", c => Define(c, jobs, createOnly: false), FileOption,
                Param.Option("at", null, "When the definition takes effect (the job goes on unchanged until then)", ParameterTypes.Time))
            .Command("drop-edit", "Withdraw a job's pending dated edit", c => Act(c, jobs, new DropEdit()), JobArgument)
            .Command("trigger", "Run a job now, outside its schedule", c => Trigger(c, jobs), JobArgument,
                Param.Option("data", null, "JSON handed to the run (SCHEDULER_DATA)", ParameterTypes.Json),
                Param.Option("overlap", null, "This run's overlap policy in place of the job's (allow: beside a running run)", choices: OverlapChoices))
            .Command("backfill", "Run the job's occurrences in a past range [--from, --to), with trigger backfill", c => Backfill(c, jobs), JobArgument,
                Param.Option("from", null, "The range's start (an occurrence at it runs)", ParameterTypes.Time, required: true),
                Param.Option("to", null, "The range's end, excluded, at most now", ParameterTypes.Time, required: true),
                Param.Option("overlap", null, "One after another (default, bufferOne), refused beside a run (skip), or all at once (allow)", choices: ["skip", "bufferOne", "bufferAll", "allow"]))
            .Command("pause", "Pause a job: no occurrence runs until it is resumed", c => Act(c, jobs, new PauseJob(c.Get("reason"))), JobArgument,
                Param.Option("reason", null, "Why (shown with the job)"))
            .Command("resume", "Resume a paused job", c => Act(c, jobs, new ResumeJob()), JobArgument)
            .Command("cancel", "Cancel a job for good (its history stays; replace revives it)", c => Act(c, jobs, new CancelJob("canceled with schedctl")), JobArgument)
            .Command("runs", "A job's runs, newest first", c => Runs(c, jobs), JobArgument,
                Param.Option("status", null, "Only runs with this status", choices: Vocabulary<RunStatus>()),
                Param.Option("from", null, "Only runs scheduled at or after this time", ParameterTypes.Time),
                Param.Option("to", null, "Only runs scheduled before this time", ParameterTypes.Time),
                Param.Option("limit", "n", "How many runs", ParameterTypes.Integer, "20"))
            .Command("history", "A job's journal: every event, with what it recorded", c => History(c, jobs), JobArgument,
                Param.Option("limit", "n", "The last N events", ParameterTypes.Integer, "50"))
            .Streaming("tail", "A live progress bar and the output of the job's current run, then the next one's, until Ctrl-C",
                c => JobTail.Run(c, jobs), JobArgument)
            .Command("preview", "The next occurrences of a schedule (nothing is stored)", c => SchedulePreview.Run(c, clock),
                Param.Option("cron", null, "A cron expression: 5 fields, or 6 with seconds first"),
                Param.Option("every", null, "A repeat period: 30s, 5m, 2h, 1d, 1w, 1M (months), 1y, combinable: 1M7d; or ISO 8601 (PT30S)"),
                Param.Option("tz", null, "An IANA time zone (Europe/Amsterdam)", defaultValue: "UTC"),
                Param.Option("count", "n", "How many occurrences", ParameterTypes.Integer, "10"),
                Param.Option("from", null, "Count from this time (default: now)", ParameterTypes.Time));

    private sealed record JobLine(string Id, string Status, string? Next, string? LastRun, int Runs, int Failures, string? Worker);

    private static async Task List(CommandContext context, JobService jobs)
    {
        JobId? after = context.Get("after") is { } cursor ? ParseId(cursor) : null;
        var query = new JobListQuery(Enum<JobStatus>(context.Get("status")), context.Get("worker"), context.Get("tag"),
            context.Int("limit", 1, JobService.MaxPageSize), after, Board: context.Get("board"));
        JobPage page;
        try
        {
            page = await jobs.List(query, context.Cancel);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException(e.Message);
        }
        var rows = page.Items.Select(v => new JobLine(v.Id, Wire(v.Status), Format(v.NextDueAt),
            v.LastRun is { } last ? Wire(last.Status) : null, v.RunCount, v.FailureCount, v.Definition.Worker)).ToList();
        await context.Table(rows, ["id", "status", "next", "lastRun", "runs", "failures", "worker"],
            page.Next is null ? $"{rows.Count} jobs" : $"{rows.Count} jobs; more with --after {page.Next}");
    }

    private static async Task Show(CommandContext context, JobService jobs) =>
        await context.Object(Json(Expect<JobFound>(await jobs.Get(ParseId(context.Required("id")), context.Cancel)).View));

    private static async Task Describe(CommandContext context, JobService jobs) =>
        await context.Object(Json(Expect<JobDescribed>(await jobs.Describe(ParseId(context.Required("id")), context.Cancel)).Description));

    private static async Task Define(CommandContext context, JobService jobs, bool createOnly)
    {
        JobDefinition definition;
        try
        {
            definition = CoreJson.Deserialize<JobDefinition>(context.Required("file"));
        }
        catch (JsonException e)
        {
            throw new CommandUsageException($"The definition is not a JobDefinition: {e.Message}");
        }
        var errors = JobDefinitionValidator.Validate(definition, requireId: true);
        if (errors.Count > 0)
            throw new CommandUsageException("The definition is not valid:\n  " + string.Join("\n  ", errors));
        var accepted = Expect<JobAccepted>(await jobs.Define(ParseId(definition.Id!), definition, createOnly, context.Cancel,
            createOnly ? null : context.Time("at")));
        await context.Object(Json(accepted.View));
    }

    private static readonly string[] OverlapChoices = ["skip", "bufferOne", "bufferAll", "allow", "cancelOther", "terminateOther", "replace"];

    private static async Task Trigger(CommandContext context, JobService jobs)
    {
        JsonElement? data = context.Get("data") is { } json ? ParseJson(json) : null;
        var accepted = Expect<JobAccepted>(await jobs.Send(ParseId(context.Required("id")), new TriggerJob(RunTrigger.Manual, data, "schedctl",
            Overlap: Enum<Core.Definitions.OverlapPolicy>(context.Get("overlap"))), context.Cancel));
        await context.Object(new { runId = accepted.NewRun?.ToString(), job = accepted.View.Id, status = Wire(accepted.View.Status) });
    }

    private static async Task Act(CommandContext context, JobService jobs, JobCommand command) =>
        await context.Object(Json(Expect<JobAccepted>(await jobs.Send(ParseId(context.Required("id")), command, context.Cancel)).View));

    /// <summary>The reply the command hoped for; a refusal becomes the command's failure, with the engine's words.</summary>
    internal static T Expect<T>(JobReply reply) where T : JobReply => reply switch
    {
        T wanted => wanted,
        JobRefused refused => throw new CommandFailedException(refused.Message),
        _ => throw new CommandFailedException($"Unexpected answer from the job: {reply.GetType().Name}."),
    };

    internal static JobId ParseId(string text) =>
        JobId.IsValid(text) ? JobId.Parse(text) : throw new CommandUsageException($"'{text}' is not a job id.");

    internal static TEnum? Enum<TEnum>(string? text) where TEnum : struct, Enum =>
        text is null ? null
        : Vocabulary<TEnum>().Contains(text) ? JsonSerializer.Deserialize<TEnum>($"\"{text}\"", CoreJson.Options)
        : throw new CommandUsageException($"'{text}' is not one of {string.Join(", ", Vocabulary<TEnum>())}.");

    internal static IReadOnlyList<string> Vocabulary<TEnum>() where TEnum : struct, Enum =>
        System.Enum.GetValues<TEnum>().Select(Wire).ToList();

    internal static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => CoreJson.WireName(value);

    internal static string? Format(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'");

    /// <summary>A value in the contract's own JSON dialect (ISO durations, camelCase enums).</summary>
    internal static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value, CoreJson.Options);

    private static JsonElement ParseJson(string json)
    {
        try
        {
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CommandUsageException($"--data is not JSON: {e.Message}");
        }
    }
}
