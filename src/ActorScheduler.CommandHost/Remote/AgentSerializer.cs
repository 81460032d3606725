using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace ActorScheduler.CommandHost.Remote;

/// <summary>
/// The agent's messages as JSON, each under its short name; only the types below ever come off the wire. The
/// lighthouse carries no engine, so these do not go through the engine's wire serializer.
/// </summary>
public sealed class AgentSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4_711_010;

    private static readonly IReadOnlyDictionary<string, Type> Types = new[] { typeof(PeekLog), typeof(LogLines), typeof(StopMember), typeof(StopAccepted) }
        .ToDictionary(t => t.Name);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override int Identifier => Id;

    public override string Manifest(object o) => o.GetType().Name;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"Null payload for '{manifest}'.")
            : throw new SerializationException($"Unknown command agent message '{manifest}'.");

    /// <summary>The HOCON every member adds: this serializer bound to the agent's messages, and the log buffer's logger.</summary>
    public static Akka.Configuration.Config Hocon { get; } = Akka.Configuration.ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.command-agent = "{{typeof(AgentSerializer).FullName}}, {{typeof(AgentSerializer).Assembly.GetName().Name}}"
          serialization-bindings { "{{typeof(IAgentMessage).FullName}}, {{typeof(IAgentMessage).Assembly.GetName().Name}}" = command-agent }
          serialization-identifiers { "{{typeof(AgentSerializer).FullName}}, {{typeof(AgentSerializer).Assembly.GetName().Name}}" = {{Id}} }
        }
        """);
}
