using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Tests;

/// <summary>A cut of the palettes a real node advertises (cluster, jobs), with every kind and type of parameter.</summary>
internal static class TestPalettes
{
    public static readonly PaletteSpec Cluster = new("cluster", "Cluster membership: members, leader, leaving and downing.",
    [
        new CommandSpec("show", "Lists the members with their status and roles.", []),
        new CommandSpec("leader", "Shows the leader, of the cluster or of one role.",
            [new ParameterSpec("role", ParameterKind.Option, "Only this role's leader.", Alias: "r")]),
        new CommandSpec("down", "Downs a member that will not come back.",
            [new ParameterSpec("address", ParameterKind.Option, "The member's address.", Alias: "-a", Required: true, Type: ParameterTypes.Address)]),
        new CommandSpec("unreachable", "Lists members the others cannot reach.", []),
        new CommandSpec("leave", "Makes the node leave the cluster (the fake host then drops the connection).", []),
    ]);

    public static readonly PaletteSpec Jobs = new("jobs", "Jobs: list, inspect, define, trigger and follow them.",
    [
        new CommandSpec("list", "Lists jobs.",
        [
            new ParameterSpec("status", ParameterKind.Option, "Only jobs in this status.", Choices: ["scheduled", "paused", "canceled"]),
            new ParameterSpec("worker", ParameterKind.Option, "Only jobs for this worker."),
            new ParameterSpec("limit", ParameterKind.Option, "At most this many.", Alias: "n", Default: "100", Type: ParameterTypes.Integer),
            new ParameterSpec("all", ParameterKind.Flag, "Include canceled jobs."),
        ]),
        new CommandSpec("show", "Shows one job.", [new ParameterSpec("id", ParameterKind.Argument, "The job's id.", Required: true)]),
        new CommandSpec("create", "Creates a job from a definition file.",
            [new ParameterSpec("file", ParameterKind.Option, "The definition.", Alias: "f", Required: true, Type: ParameterTypes.Document)]),
        new CommandSpec("trigger", "Runs a job now.",
        [
            new ParameterSpec("id", ParameterKind.Argument, "The job's id.", Required: true),
            new ParameterSpec("data", ParameterKind.Option, "The run's data.", Type: ParameterTypes.Json),
        ]),
        new CommandSpec("runs", "Lists a job's runs.",
        [
            new ParameterSpec("id", ParameterKind.Argument, "The job's id.", Required: true),
            new ParameterSpec("from", ParameterKind.Option, "Runs since.", Type: ParameterTypes.Time),
            new ParameterSpec("status", ParameterKind.Option, "Only runs in this status.", Choices: ["running", "succeeded", "failed"]),
        ]),
        new CommandSpec("level", "Sets the log level.",
            [new ParameterSpec("level", ParameterKind.Argument, "The level.", Required: true, Choices: ["debug", "info", "warning", "error"])]),
        new CommandSpec("tail", "Follows a job's runs.", [new ParameterSpec("id", ParameterKind.Argument, "The job's id.", Required: true)], Streams: true),
    ]);

    public static readonly IReadOnlyList<PaletteSpec> All = [Cluster, Jobs];

    /// <summary>A palette that is its one command (<c>schedctl deploy DIR</c>); not in <see cref="All"/>.</summary>
    public static readonly PaletteSpec Deploy = new("deploy", "Deploy a directory of scripts.",
        [new CommandSpec("deploy", "Deploys a directory.", [new ParameterSpec("directory", ParameterKind.Argument, "The directory.", Required: true, Type: ParameterTypes.Directory)])]);
}
