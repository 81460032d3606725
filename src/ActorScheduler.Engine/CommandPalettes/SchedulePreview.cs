using System.Text.Json;
using System.Text.RegularExpressions;
using ActorScheduler.CommandHost;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary><c>jobs preview</c>: a schedule's next occurrences from Core's schedule maths, as <c>POST /schedules/preview</c> gives them.</summary>
internal static partial class SchedulePreview
{
    public const int MaxCount = 1000;

    public static Task Run(CommandContext context, TimeProvider clock)
    {
        var (cron, every) = (context.Get("cron"), context.Get("every"));
        if ((cron is null) == (every is null))
            throw new CommandUsageException("Give exactly one of --cron or --every.");
        var zone = context.Get("tz") ?? "UTC";
        var spec = new ScheduleSpec { Cron = cron, Every = every is null ? null : Period(every), TimeZone = zone };
        var errors = ScheduleValidator.Validate(spec);
        if (errors.Count > 0)
            throw new CommandUsageException(string.Join("\n", errors.Select(e => e.ToString().Replace("cron:", "--cron:").Replace("every:", "--every:").Replace("timeZone:", "--tz:"))));
        var count = context.Int("count", 1, MaxCount);
        var from = context.Time("from") ?? clock.GetUtcNow();
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var rows = Schedule.Preview(spec, from, count)
            .Select((at, i) => new { n = i + 1, utc = JobsPalette.Format(at), local = TimeZoneInfo.ConvertTime(at, timeZone).ToString("yyyy-MM-dd HH:mm:ss zzz") })
            .ToList();
        return context.Table(rows, ["n", "utc", "local"], rows.Count < count ? $"only {rows.Count} occurrences" : null);
    }

    /// <summary>"1M7d", "90s", "2h30m" (our unit letters: M months, m minutes) or ISO 8601 ("PT30S").</summary>
    private static RepeatPeriod Period(string text)
    {
        if (text.StartsWith('P'))
            return RepeatPeriod.FromFixed(ReadIso(text));
        var parts = Compact().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
            throw new CommandUsageException($"--every: '{text}' is not a period; write e.g. 30s, 5m, 2h, 1d, 1w, 1M, 1y or 1M7d (M months, m minutes), or PT30S.");
        var json = "{" + string.Join(",", parts.Select(p => $"\"{p.Groups[2].Value}\":{p.Groups[1].Value}")) + "}";
        try
        {
            return CoreJson.Deserialize<RepeatPeriod>(json);
        }
        catch (JsonException e)
        {
            throw new CommandUsageException($"--every: {e.Message}");
        }
    }

    private static TimeSpan ReadIso(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<TimeSpan>($"\"{text}\"", CoreJson.Options);
        }
        catch (JsonException)
        {
            throw new CommandUsageException($"--every: '{text}' is not an ISO 8601 duration (PT30S, PT1H, P1D).");
        }
    }

    [GeneratedRegex("([0-9]+)(ms|y|M|w|d|h|m|s)")]
    private static partial Regex Compact();
}
