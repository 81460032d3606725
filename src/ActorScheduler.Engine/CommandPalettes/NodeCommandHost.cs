using ActorScheduler.CommandHost;
using ActorScheduler.CommandHost.Logging;
using ActorScheduler.CommandHost.Palettes;
using ActorScheduler.Engine.Configuration;
using ActorScheduler.Engine.Hosting;
using Akka.Actor;
using Akka.Configuration;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// A node's command host (<c>actor-scheduler.cmd</c>): the palettes every member has (cluster, actor, log) and the
/// engine's (cluster-sharding, jobs, workers), behind the node's API token.
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
    public static CommandServer? Start(EngineHost engine, CommandHostSettings settings, TimeProvider clock)
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
            WorkersPalette.Create(system, timeout),
        ];
        return CommandServer.Start(settings, system, "node", engine.Settings.Roles.Order(StringComparer.Ordinal).ToList(), palettes, TokenHint);
    }
}
