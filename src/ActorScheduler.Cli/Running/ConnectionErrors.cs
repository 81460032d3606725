using ActorScheduler.Cli.Launch;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Running;

/// <summary>Connection failures as sentences that say what to do next (all exit code 3).</summary>
internal static class ConnectionErrors
{
    public static string Describe(Exception error, HostAddress host) => error switch
    {
        CommandHostRefusedException { Code: RefusalCodes.Unauthorized } refused =>
            $"The command host at {host} refused the connection: {refused.Message.TrimEnd('.')}. " +
            $"It needs the node's command token: give it with --token-file FILE or {LaunchArguments.TokenVariable}.",
        CommandHostRefusedException { Code: RefusalCodes.Busy } refused =>
            $"The command host at {host} is busy: {refused.Message.TrimEnd('.')}. Try again once another schedctl has disconnected.",
        CommandHostRefusedException { Code: RefusalCodes.Version } refused =>
            $"The command host at {host} speaks another protocol version: {refused.Message.TrimEnd('.')}. " +
            $"Use the schedctl of the node's release (this is {ToolVersion.Text}).",
        CommandHostRefusedException refused =>
            $"The command host at {host} refused the connection ({refused.Code}): {refused.Message}",
        CommandHostUnreachableException unreachable when unreachable.Message.StartsWith("Cannot reach", StringComparison.Ordinal) =>
            $"{unreachable.Message} Is the node running? Its command host is configured under actor-scheduler.cmd; " +
            $"give another address as the first argument (host:port) or in {LaunchArguments.HostVariable}.",
        _ => $"{error.Message} (command host {host})",
    };
}
