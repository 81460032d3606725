using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>One part of a fan-in that has arrived: the trigger and part it matched, when, and the data it brought.</summary>
public sealed record FanInArrival(int Trigger, int Part, DateTimeOffset At, JsonElement? Data);

/// <summary>
/// Fan-in triggers (<c>{"all": [...], "within": "PT1H"}</c>): which parts a completion or an event matches, which arrived
/// parts are still fresh, and the data a completed fan-in's run gets: an object with each part's data under its job or
/// event name. Pure.
/// </summary>
public static class FanIn
{
    /// <summary>Where a trigger request came from, as the trigger router names it: <c>job:{id}</c> or <c>event:{name}</c>.</summary>
    public static (string? Job, string? Event) ParseSource(string? source) =>
        source switch
        {
            not null when source.StartsWith("job:", StringComparison.Ordinal) => (source[4..], null),
            not null when source.StartsWith("event:", StringComparison.Ordinal) => (null, source[6..]),
            _ => (null, null),
        };

    /// <summary>Whether a job or event trigger is fired by this source (a job's run that ended with <paramref name="outcome"/>).</summary>
    public static bool Matches(TriggerSpec trigger, string? job, string? @event, RunStatus? outcome)
    {
        if (trigger.Event is not null)
            return trigger.Event == @event;
        if (trigger.Job is null || trigger.Job != job)
            return false;
        return (trigger.On ?? TriggerOn.Completed) switch
        {
            TriggerOn.Succeeded => outcome is null or RunStatus.Succeeded,
            TriggerOn.Failed => outcome is null || outcome.Value.IsFailure(),
            _ => true,
        };
    }

    /// <summary>The arrivals of <paramref name="trigger"/> that are still fresh at <paramref name="now"/>.</summary>
    public static IEnumerable<FanInArrival> Fresh(ImmutableList<FanInArrival>? arrivals, int trigger, TimeSpan within, DateTimeOffset now) =>
        (arrivals ?? []).Where(a => a.Trigger == trigger && a.At > now - within);

    /// <summary>The run data of a completed fan-in: <c>{"extract": &lt;its data&gt;, "load": …}</c>, in the parts' order.</summary>
    public static JsonElement Data(TriggerSpec fanIn, IEnumerable<FanInArrival> arrivals)
    {
        var byPart = arrivals.ToDictionary(a => a.Part);
        var data = new JsonObject();
        for (var part = 0; part < fanIn.All!.Count; part++)
            data[fanIn.All[part].PartName!] = byPart.TryGetValue(part, out var arrival) && arrival.Data is { } value
                ? JsonNode.Parse(value.GetRawText())
                : null;
        return JsonSerializer.SerializeToElement(data);
    }

    /// <summary>The state after an arrival: stale arrivals of its trigger dropped, the part's earlier arrival replaced, or the trigger's all cleared when it completes.</summary>
    internal static ImmutableList<FanInArrival>? Arrive(JobState s, FanInArrived e)
    {
        var within = s.Definition.Triggers is { } triggers && e.Trigger < triggers.Count && triggers[e.Trigger] is { All: not null } fanIn
            ? fanIn.EffectiveWithin
            : TimeSpan.Zero;
        var kept = (s.FanIn ?? []).RemoveAll(a => a.Trigger == e.Trigger && (e.Completes || a.Part == e.Part || a.At <= e.At - within));
        if (!e.Completes && within > TimeSpan.Zero)
            kept = kept.Add(new FanInArrival(e.Trigger, e.Part, e.At, e.Data));
        return kept.IsEmpty ? null : kept;
    }
}
