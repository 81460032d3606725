namespace ActorScheduler.Core.Jobs;

/// <summary>The command families the transition table speaks of.</summary>
public enum CommandKind { Create, Replace, Enable, Disable, Pause, Resume, Reschedule, Trigger, WakeUp, CancelJob, CancelRun, RunReport }

/// <summary>
/// The job lifecycle. Status is derived from the state (see <see cref="JobState.Status"/>); this table says
/// which commands each status accepts. <see cref="JobDecider"/> consults it before anything else, and a spec
/// walks every (status, command) pair.
/// <code>
///              create                     wake-up: occurrence due          run finished, more to come
///   (none) ──────────────► scheduled ─────────────────────────► running ───────────────────────► scheduled
///                 │            ▲  │ no occurrence left                │  │ failed after retries     │
///                 │ no         │  └────────────► done ◄───────────────┘  └──────► error ───────────┘
///                 │ schedule   │ enable /               no occurrence left           next occurrence due
///                 ▼            │ reschedule
///              waiting ────────┘  (trigger: waiting/scheduled/done/error ──► running)
///
///   any live status ── pause ──► paused ── resume ──► (as derived)
///   a run failed for good, the K-th in a row (onFailure) ──► paused ── wake-up at probeAt: probe run;
///                                                              any run succeeds ──► (as derived)
///   any status ── cancel ──► canceled ── replace (PUT) ──► (as derived: the job lives again, history kept)
/// </code>
/// "No-op" entries are accepted with no events (idempotent repeats); refused ones answer 404 or 409.
/// </summary>
public static class Transitions
{
    public enum Verdict { Allowed, NoOp, NotFound, Conflict }

    /// <summary>Rows: no such job, then each status in enum order. Columns in <see cref="CommandKind"/> order.</summary>
    private static readonly Verdict[][] Table =
    [
        //               Create    Replace  Enable   Disable  Pause    Resume   Reschedule Trigger  WakeUp   CancelJob CancelRun RunReport
        /* none */      [A,       A,       N404,    N404,    N404,    N404,    N404,      N404,    Nop,     N404,     N404,     N404],
        /* waiting */   [C,       A,       A,       A,       A,       Nop,     A,         A,       A,       A,        A,        A],
        /* scheduled */ [C,       A,       A,       A,       A,       Nop,     A,         A,       A,       A,        A,        A],
        /* running */   [C,       A,       A,       A,       A,       Nop,     A,         A,       A,       A,        A,        A],
        /* paused */    [C,       A,       A,       A,       A,       A,       A,         A,       A,       A,        A,        A],
        /* done */      [C,       A,       A,       A,       C,       Nop,     A,         A,       A,       A,        A,        A],
        /* error */     [C,       A,       A,       A,       A,       Nop,     A,         A,       A,       A,        A,        A],
        /* canceled */  [C,       A,       C,       C,       C,       C,       C,         C,       Nop,     Nop,      A,        A],
    ];

    private const Verdict A = Verdict.Allowed, Nop = Verdict.NoOp, N404 = Verdict.NotFound, C = Verdict.Conflict;

    public static Verdict For(JobStatus? status, CommandKind command) =>
        Table[status is { } known ? (int)known + 1 : 0][(int)command];

    public static CommandKind KindOf(JobCommand command) => command switch
    {
        DefineJob { CreateOnly: true } => CommandKind.Create,
        DefineJob or DropEdit => CommandKind.Replace,
        EnableJob => CommandKind.Enable,
        DisableJob => CommandKind.Disable,
        PauseJob => CommandKind.Pause,
        ResumeJob => CommandKind.Resume,
        RescheduleJob => CommandKind.Reschedule,
        TriggerJob or BackfillJob => CommandKind.Trigger,
        WakeUp => CommandKind.WakeUp,
        CancelJob => CommandKind.CancelJob,
        CancelRun => CommandKind.CancelRun,
        RunReport or RedispatchRun => CommandKind.RunReport,
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown job command."),
    };

    /// <summary>The table's answer for this state and command: null to go on and decide, else the decision.</summary>
    public static Decision? Check(JobState state, JobCommand command)
    {
        var status = state.Exists ? state.Status : (JobStatus?)null;
        var kind = KindOf(command);
        return For(status, kind) switch
        {
            Verdict.Allowed => null,
            Verdict.NoOp => Decision.Accept(),
            Verdict.NotFound => Decision.NotFound($"Job '{state.Id}' does not exist."),
            _ => Decision.Conflict(kind == CommandKind.Create
                ? $"Job '{state.Id}' already exists; use PUT to replace it."
                : $"Cannot {Describe(kind)} job '{state.Id}': it is {status.ToString()!.ToLowerInvariant()}."),
        };
    }

    private static string Describe(CommandKind kind) => kind switch
    {
        CommandKind.CancelJob => "cancel",
        CommandKind.CancelRun => "cancel a run of",
        CommandKind.RunReport => "report a run of",
        CommandKind.WakeUp => "wake",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
