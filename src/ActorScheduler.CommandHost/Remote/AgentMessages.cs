using ActorScheduler.CommandHost.Logging;

namespace ActorScheduler.CommandHost.Remote;

/// <summary>What command hosts ask of the agent on another member (<c>/user/command-agent</c>).</summary>
public interface IAgentMessage;

/// <summary>The member's last <paramref name="Count"/> log lines: answered with <see cref="LogLines"/>.</summary>
public sealed record PeekLog(int Count) : IAgentMessage;

/// <param name="Omitted">Older lines asked for but left out to keep the answer within one remoting frame.</param>
public sealed record LogLines(IReadOnlyList<LogLine> Lines, int Omitted = 0) : IAgentMessage;

/// <summary>
/// Stop the member gracefully, as SIGTERM does: its coordinated shutdown runs every phase (a worker finishes its runs
/// and has their outcomes recorded first), it leaves the cluster and its process exits. Answered with
/// <see cref="StopAccepted"/> before the shutdown begins.
/// </summary>
public sealed record StopMember(string Reason) : IAgentMessage;

public sealed record StopAccepted(string Address) : IAgentMessage;
