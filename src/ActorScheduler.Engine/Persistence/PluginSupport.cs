using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Util;

namespace ActorScheduler.Engine.Persistence;

/// <summary>What <see cref="JobJournal"/> and <see cref="JobSnapshotStore"/> share: when they take the hot paths themselves, and how rows are encoded and decoded.</summary>
internal static class PluginSupport
{
    /// <summary>
    /// <see cref="JournalTables"/> knows the plugin's default table mapping only, without the delete-compatibility
    /// metadata table, with tags as text in the journal row; other settings leave everything to the plugin.
    /// </summary>
    public static bool UsesOurSql(Config pluginConfig) =>
        pluginConfig.GetString("table-mapping", "default") == "default" &&
        !pluginConfig.GetBoolean("delete-compatibility-mode", false) &&
        string.Equals(pluginConfig.GetString("tag-write-mode", "Csv"), "Csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>As the plugin encodes an event or snapshot: its serializer's bytes, that serializer's id, and its manifest.</summary>
    public static (byte[] Bytes, int SerializerId, string Manifest) Serialize(ExtendedActorSystem system, object payload)
    {
        var serializer = system.Serialization.FindSerializerFor(payload);
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
            { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
            _ => "",
        };
        var bytes = Akka.Serialization.Serialization.WithTransport(system, (serializer, payload), state => state.serializer.ToBinary(state.payload));
        return (bytes, serializer.Identifier, manifest);
    }

    /// <summary>
    /// A row as <see cref="Deserialize"/> decodes it, or, when it does not decode, an <see cref="UnreadableRecord"/>
    /// naming it: one bad row makes its job unreadable, not its recovery fail again and again.
    /// </summary>
    public static object DeserializeOrMark(
        Akka.Serialization.Serialization serialization, string persistenceId, long sequenceNr, byte[] payload, int? serializerId, string? manifest)
    {
        try
        {
            return Deserialize(serialization, payload, serializerId, manifest);
        }
        catch (Exception e)
        {
            return new UnreadableRecord(persistenceId, sequenceNr, manifest, $"{e.GetType().Name}: {e.Message}");
        }
    }

        /// <summary>As the plugin decodes a row: by serializer id and manifest, or (rows without an id) by the manifest's type.</summary>
    public static object Deserialize(Akka.Serialization.Serialization serialization, byte[] payload, int? serializerId, string? manifest)
    {
        if (serializerId is { } id)
            return serialization.Deserialize(payload, id, manifest ?? "");
        var type = Type.GetType(manifest ?? "", throwOnError: true)!;
        return serialization.FindSerializerForType(type).FromBinary(payload, type);
    }
}
