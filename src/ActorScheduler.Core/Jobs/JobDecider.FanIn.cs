using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>Fan-in triggers: a completion or an event arrives as a part; the last part missing runs the job.</summary>
public static partial class JobDecider
{
    private static bool HasFanIn(JobDefinition definition) => definition.Triggers?.Any(t => t?.All is not null) == true;

    /// <summary>
    /// A trigger request for a job with fan-in triggers: each part it matches arrives (recorded, with its data), each
    /// fan-in it completes runs the job once with every part's data, and a plain trigger it matches runs the job as
    /// always. A request from a job or event none of the triggers matches (the
    /// index was stale, or the run ended otherwise than a part asks) is ignored; one of no known source runs the job.
    /// </summary>
    private static Decision TriggerWithFanIn(EventLog events, TriggerJob c)
    {
        var (job, @event) = FanIn.ParseSource(c.Source);
        var triggers = events.State.Definition.Triggers!;
        var (matchedAny, plainMatched) = (false, false);
        var runs = new List<System.Text.Json.JsonElement?>();
        for (var i = 0; i < triggers.Count; i++)
        {
            if (triggers[i] is not { } trigger)
                continue;
            if (trigger.All is null)
            {
                if (FanIn.Matches(trigger, job, @event, c.Outcome) && !plainMatched)
                {
                    // Two plain triggers on the same source run the job once, as the trigger index lists it once.
                    runs.Add(c.Data);
                    (plainMatched, matchedAny) = (true, true);
                }
                continue;
            }
            for (var part = 0; part < trigger.All.Count; part++)
            {
                if (!FanIn.Matches(trigger.All[part], job, @event, c.Outcome))
                    continue;
                matchedAny = true;
                var fresh = FanIn.Fresh(events.State.FanIn, i, trigger.EffectiveWithin, events.Now).Where(a => a.Part != part).ToList();
                var arrival = new FanInArrival(i, part, events.Now, c.Data);
                var completes = fresh.Select(a => a.Part).Distinct().Count() == trigger.All.Count - 1;
                if (completes)
                    runs.Add(FanIn.Data(trigger, [.. fresh, arrival]));
                events.Add(new FanInArrived(i, part, c.Data, completes, events.Now));
            }
        }
        if (!matchedAny && job is null && @event is null)
            runs.Add(c.Data);
        foreach (var data in runs)
            StartTriggered(events, c, data);
        return events.Decision;
    }
}
