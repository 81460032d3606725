using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

public static partial class JobDecider
{
    /// <summary>
    /// The onFailure circuit breaker, after a run's outcome was added:
    /// <list type="bullet">
    /// <item>a run that failed for good (no retry follows), the pauseAfter-th in a row, pauses a job that is not paused,
    /// with the count in the reason and, with probeAfter, the time of a probe run;</item>
    /// <item>a failed probe keeps the job paused and sets the next probe the same delay later (it keeps probing until
    /// a run succeeds or a person resumes, disables or cancels it);</item>
    /// <item>any successful run (the probe, a manual trigger, a run still in flight when the breaker opened) resumes a
    /// job the breaker paused. A pause by a person is never ended by a run.</item>
    /// </list>
    /// </summary>
    private static void Breaker(EventLog events, RunRecord run, RunStatus outcome, bool retried)
    {
        var state = events.State;
        if (outcome == RunStatus.Succeeded && state.PausedOnFailure)
        {
            ResumeInto(events, $"onFailure: run {run.RunId} ({CoreJson.WireName(run.Trigger)}) succeeded");
            return;
        }
        if (state.Definition.OnFailure?.PauseAfter is not { } pauseAfter || !outcome.IsFailure() || retried || state.Canceled)
            return;
        var failures = state.ConsecutiveFailures;
        var probeAt = events.Now + state.Definition.OnFailure.ProbeAfter;
        var probe = probeAt is { } at ? $"; a probe run at {at:O}" : "";
        if (!state.Paused && failures >= pauseAfter)
            events.Add(new JobPaused($"onFailure: {failures} consecutive failed runs (pauseAfter {pauseAfter}){probe}", events.Now, failures, probeAt));
        else if (state.PausedOnFailure && run.Trigger == RunTrigger.Probe)
            events.Add(new JobPaused($"onFailure: the probe run {run.RunId} failed, {failures} consecutive failed runs{probe}", events.Now, failures, probeAt));
    }

    /// <summary>Wake-up of a paused job: the breaker's probe run, once it is due and nothing else is in flight.</summary>
    private static Decision Probe(JobState state, DateTimeOffset now, JobLimits limits)
    {
        if (state.ProbeAt is not { } at || at > now || state.InFlight.Count > 0)
            return Decision.Accept();
        var events = new EventLog(state, now, limits);
        events.Dispatch(state.NewRunId(), 1, RunTrigger.Probe, at, state.Definition.Data, null);
        return events.Decision;
    }
}
