using ActorScheduler.CommandHost.Logging;
using ActorScheduler.Commands;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.CommandHost.Palettes;

/// <summary>The <c>log</c> palette: the node's recent log from its in-memory buffer, a live tail, and its level.</summary>
public static class LogPalette
{
    public static readonly IReadOnlyList<string> Levels = ["debug", "info", "warning", "error"];

    public static readonly IReadOnlyList<string> Columns = ["at", "level", "source", "message"];

    public static Palette Create(ActorSystem system)
    {
        var buffer = LogBuffer.Get(system);
        return new Palette("log", "This node's log: the last lines kept in memory, a live tail, the log level")
            .Command("peek", "The last N lines of the node's log", c => c.Lines(buffer.Peek(c.Int("lines", 1, buffer.Capacity)), Columns),
                Param.Option("lines", "n", "How many lines", ParameterTypes.Integer, "50"))
            .Streaming("tail", "The node's log as it is written, until Ctrl-C", c => Tail(c, buffer))
            .Command("level", "Show the log level, or set it (debug, info, warning, error)", c => Level(c, system),
                new ParameterSpec("level", ParameterKind.Argument, "The new level", Choices: Levels));
    }

    private static async Task Tail(CommandContext context, LogBuffer buffer)
    {
        using var tail = buffer.Follow();
        while (true)
        {
            var (line, dropped) = await tail.ReadAsync(context.Cancel);
            if (dropped > 0)
                await context.Text($"… {dropped} lines skipped: this tail fell more than {LogBuffer.TailBacklog} lines behind");
            await context.Lines([line], Columns);
        }
    }

    private static Task Level(CommandContext context, ActorSystem system)
    {
        if (context.Get("level") is not { } level)
            return context.Object(new { level = LogBufferLogger.LevelName(system.EventStream.LogLevel) });
        var parsed = level.ToLowerInvariant() switch
        {
            "debug" => LogLevel.DebugLevel,
            "info" => LogLevel.InfoLevel,
            "warning" => LogLevel.WarningLevel,
            "error" => LogLevel.ErrorLevel,
            _ => throw new CommandUsageException($"'{level}' is not a log level; use one of {string.Join(", ", Levels)}."),
        };
        var before = system.EventStream.LogLevel;
        system.EventStream.SetLogLevel(parsed);
        system.Log.Info("Log level set to {0} by a command host client", level);
        // Akka's loggers read the level when they are made: raising it silences everyone at once, lowering it reaches
        // only loggers made from now on.
        return context.Text(parsed < before
            ? $"Log level is now {level.ToLowerInvariant()} for log sources created from now on; actors already running keep logging at " +
              $"{LogBufferLogger.LevelName(before)} (Akka reads the level once per logger). For everything, restart with akka.loglevel = {level.ToUpperInvariant()}."
            : $"Log level is now {level.ToLowerInvariant()}.");
    }
}
