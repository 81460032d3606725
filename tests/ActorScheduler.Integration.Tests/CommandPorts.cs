using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorScheduler.Integration.Tests;

/// <summary>
/// Every node and lighthouse runs a command host (default 127.0.0.1:9110); processes started by tests take a free
/// port instead (0), and the port is read back from the line the host logs when it listens.
/// </summary>
public static partial class CommandPorts
{
    public static void UseFreePort(ProcessStartInfo start)
    {
        if (!start.Environment.ContainsKey("CMD_PORT"))
            start.Environment["CMD_PORT"] = "0";
        if (!start.Environment.ContainsKey("ACTORSCHEDULER__CMD__PORT"))
            start.Environment["ACTORSCHEDULER__CMD__PORT"] = "0";
    }

    /// <summary>The port from the process's "Command host listening on HOST:PORT" line, or null before it is logged.</summary>
    public static int? Find(string console) =>
        Listening().Matches(console) is { Count: > 0 } found ? int.Parse(found[^1].Groups[1].Value) : null;

    [GeneratedRegex(@"Command host listening on [^\s]+:(\d+) ")]
    private static partial Regex Listening();
}
