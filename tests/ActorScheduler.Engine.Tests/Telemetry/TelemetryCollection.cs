namespace ActorScheduler.Engine.Tests.Telemetry;

/// <summary>
/// Specs that listen to the engine's activity source run alone: a listener is process-wide, and while one listens every
/// engine in the process makes spans and stamps trace contexts on its messages, which other specs compare by value.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry listeners";
}
