using ActorScheduler.CommandHost;
using ActorScheduler.CommandHost.Logging;
using ActorScheduler.CommandHost.Palettes;
using ActorScheduler.Engine.Configuration;
using ActorScheduler.Engine.Deploys;
using ActorScheduler.Engine.Hosting;
using Akka.Actor;
using Akka.Configuration;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// A node's command host (<c>actor-scheduler.cmd</c>): the palettes every member has (cluster, actor, log) and the
/// engine's (cluster-sharding, jobs, board, workers, deploy), behind the node's API token.
/// </summary>
public static class NodeCommandHost
{
    public const string TokenHint = "set actor-scheduler.gateway.token-file (the node's API token; the command host uses the same)";

    /// <summary><c>actor-scheduler.cmd</c>, with the node's API token.</summary>
    public static CommandHostSettings Settings(Config config, EngineSettings engine)
    {
        var cmd = new ConfigSection(config, "actor-scheduler.cmd");
        return new CommandHostSettings(cmd.Bool("enabled"), cmd.String("host"), cmd.Int("port"), engine.Gateway.Token,
            cmd.PositiveInt("max-connections"), cmd.PositiveInt("log-buffer-size"));
    }

    /// <summary>The command host, when it is enabled (null otherwise). The member's agent started with the engine.</summary>
    /// <param name="deployer">The node's deployer (<see cref="DeployedScriptHosting.Deployer"/>) for <c>deploy</c>; null where it has none.</param>
    public static CommandServer? Start(EngineHost engine, CommandHostSettings settings, TimeProvider clock, ScriptDeployer? deployer = null)
    {
        var system = engine.System;
        LogBuffer.Get(system).Capacity = settings.LogBufferSize;
        if (!settings.Enabled)
            return null;
        var timeout = engine.Settings.Gateway.AskTimeout;
        Palette[] palettes =
        [
            ClusterPalette.Create(system, clock),
            ShardingPalette.Create(system, engine.Region, engine.Settings.ShardCount, timeout),
            ActorPalette.Create(system, clock),
            LogPalette.Create(system),
            JobsPalette.Create(engine.Jobs, clock),
            BoardPalette.Create(new Boards.BoardService(engine.Jobs)),
            WorkersPalette.Create(system, timeout),
            DeployPalette.Create(deployer, engine.Settings.UsesDatabase
                ? $"This node does not deploy scripts: {DeploySettings.Path}.enabled is off."
                : $"This node has no database (roles {string.Join(", ", engine.Settings.Roles)}): deploy through the command host of a gateway or scheduler node."),
        ];
        return CommandServer.Start(settings, system, "node", engine.Settings.Roles.Order(StringComparer.Ordinal).ToList(), palettes, TokenHint);
    }
}
