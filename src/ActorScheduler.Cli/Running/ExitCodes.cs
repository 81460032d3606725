namespace ActorScheduler.Cli.Running;

/// <summary>schedctl's exit codes: scripts branch on these, so they are a contract (never renumber).</summary>
internal static class ExitCodes
{
    /// <summary>Done, including a streaming command stopped with Ctrl-C.</summary>
    public const int Ok = 0;

    /// <summary>The host understood the command and refused it, or what it asked for failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown command, missing or malformed value, unreadable file).</summary>
    public const int Usage = 2;

    /// <summary>No command host answered, it refused the connection (token, busy, version), or the connection was lost.</summary>
    public const int Unreachable = 3;
}

/// <summary>A command line schedctl cannot run; the message says what to write instead (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
