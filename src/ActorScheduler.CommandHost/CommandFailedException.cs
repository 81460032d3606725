namespace ActorScheduler.CommandHost;

/// <summary>What a command throws when it is refused or what it asked for failed: the client shows the message (exit 1).</summary>
public sealed class CommandFailedException(string message) : Exception(message);

/// <summary>What a command throws for arguments it cannot use: the client shows the message (exit 2).</summary>
public sealed class CommandUsageException(string message) : Exception(message);
