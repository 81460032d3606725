using System.Runtime.CompilerServices;
using ActorScheduler.Engine.Hosting;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Util;

namespace ActorScheduler.Engine.Persistence;

/// <summary>What <see cref="JobJournal"/> and <see cref="JobSnapshotStore"/> share: when they take the hot paths themselves, where they read and write, how they decode.</summary>
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

    /// <summary>Writes per transaction (and reads per query) at most.</summary>
    public const int MaxBatch = 200;

    private static readonly ConditionalWeakTable<ActorSystem, SingleFlightBatcher<TableWrite, Exception?>> Writers = new();

    /// <summary>Our own connections to the node's database (actor-scheduler.database), the same the job index uses.</summary>
    public static JournalTables Tables(ActorSystem system)
    {
        var database = EngineSettings.From(system.Settings.Config).Database;
        return new JournalTables(() => EngineDatabase.Open(database));
    }

    /// <summary>
    /// The one writer of a node's journal and snapshot tables, shared by the journal and the snapshot store:
    /// their writes queue together and go one transaction at a time, so they never wait on each other's locks
    /// (SQLite has one writer; its busy handler sleeps up to 100 ms at a time).
    /// </summary>
    public static SingleFlightBatcher<TableWrite, Exception?> Writer(ActorSystem system) =>
        Writers.GetValue(system, s => new SingleFlightBatcher<TableWrite, Exception?>(Tables(s).Write, MaxBatch));

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

    /// <summary>As the plugin decodes a row: by serializer id and manifest, or (rows without an id) by the manifest's type.</summary>
    public static object Deserialize(Akka.Serialization.Serialization serialization, byte[] payload, int? serializerId, string? manifest)
    {
        if (serializerId is { } id)
            return serialization.Deserialize(payload, id, manifest ?? "");
        var type = Type.GetType(manifest ?? "", throwOnError: true)!;
        return serialization.FindSerializerForType(type).FromBinary(payload, type);
    }
}
