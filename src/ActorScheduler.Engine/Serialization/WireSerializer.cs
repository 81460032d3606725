using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using Akka.Actor;
using Akka.Serialization;

namespace ActorScheduler.Engine.Serialization;

/// <summary>
/// Messages between nodes (shard envelopes, job commands and replies, dispatch and worker messages, run outcomes)
/// as UTF-8 JSON in the domain's dialect. The manifest is the type's full name, resolved only against the
/// message types of our own assemblies (never an arbitrary type from the wire). A property typed as
/// <see cref="object"/> or as an abstract type (the message inside a <c>JobEnvelope</c>, the command inside a
/// <c>JobRequest</c>) carries its concrete type's name next to its value.
/// Wire names only have to agree between nodes of one version; the journal has its own, versioned, format.
/// </summary>
public sealed class WireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4_711_002;

    /// <summary>Every type that may cross the wire, by full name: public, concrete records of our assemblies.</summary>
    public static IReadOnlyDictionary<string, Type> Types { get; } =
        new[] { typeof(WireSerializer).Assembly, typeof(JobCommand).Assembly, typeof(Runners.RunRequest).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && (t.IsPublic || t.IsNestedPublic) &&
                        t.GetMethod("<Clone>$") is not null && !CarriesActorRefs(t))
            .ToDictionary(t => t.FullName!);

    /// <summary>The message types bound to this serializer in HOCON (what is sent between nodes at the top level).</summary>
    public static IReadOnlyList<Type> TopLevel { get; } =
    [
        // To and from jobs (bases bind every message and reply of their closed sets).
        typeof(Protocol.JobEnvelope), typeof(Protocol.JobMessage), typeof(Protocol.JobReply), typeof(Protocol.CreateJob), typeof(JobCommand),
        // Between dispatchers and workers.
        typeof(Protocol.DispatchRun), typeof(Protocol.CancelDispatchedRun), typeof(Protocol.ReconcileRun),
        typeof(Protocol.StartRun), typeof(Protocol.StopRun), typeof(Protocol.ProbeRun), typeof(Protocol.RunAccepted),
        typeof(Protocol.RunProbed), typeof(Protocol.WorkerReleased), typeof(Protocol.RunRefused),
        // Between dispatchers and the permit keeper (concurrency keys).
        typeof(Protocol.AcquirePermit), typeof(Protocol.ReclaimPermit), typeof(Protocol.ReleasePermit), typeof(Protocol.PermitGranted),
        typeof(Protocol.PermitRefused), typeof(Protocol.GetPermitKeeper), typeof(Protocol.PermitKeeperIs), typeof(Protocol.PermitClaimsTold),
        // From command hosts to workers.
        typeof(Protocol.GetWorkerStatus), typeof(Protocol.WorkerStatus),
        // From any node to a worker's live output of its runs.
        typeof(Protocol.GetLiveOutput), typeof(Protocol.LiveOutputChunk),
        // From a gateway to the worker that runs a run: its script's calls through the script API.
        typeof(Protocol.ScriptCall), typeof(Protocol.ScriptCallAnswered),
        // From a worker to a node with the database: a deployed script's bytes by hash.
        typeof(Protocol.FetchDeployedScript), typeof(Protocol.DeployedScriptChunk),
        // To trigger routers, and to the client service through pub-sub.
        typeof(Protocol.RunCompleted), typeof(Protocol.EventEmitted),
    ];

    private static readonly JsonSerializerOptions Json = CreateOptions();

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Types.ContainsKey(o.GetType().FullName!)
            ? o.GetType().FullName!
            : throw new ArgumentException($"{o.GetType()} is not a wire message type of {nameof(WireSerializer)}.");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"Null payload for '{manifest}'.")
            : throw new SerializationException($"Unknown wire message type '{manifest}'.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(CoreJson.Create(strict: false));
        options.Converters.Add(new TaggedConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static bool CarriesActorRefs(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => typeof(IActorRef).IsAssignableFrom(p.PropertyType));

    /// <summary>Writes <c>{"type": "Full.Name", "value": {...}}</c> for values of declared type object or an abstract type.</summary>
    private sealed class TaggedConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert == typeof(object) || (typeToConvert.IsAbstract && typeToConvert.FullName?.StartsWith("ActorScheduler.") == true);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(TaggedConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class TaggedConverter<T> : JsonConverter<T> where T : class
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
                return null;
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException($"Expected a tagged object for {typeof(T).Name}.");
            reader.Read();
            if (reader.TokenType != JsonTokenType.PropertyName || reader.GetString() != "type")
                throw new JsonException($"A tagged {typeof(T).Name} starts with \"type\".");
            reader.Read();
            var name = reader.GetString() ?? "";
            if (!Types.TryGetValue(name, out var type) || !typeof(T).IsAssignableFrom(type))
                throw new JsonException($"Unknown or unexpected wire type '{name}' for {typeof(T).Name}.");
            reader.Read();
            if (reader.TokenType != JsonTokenType.PropertyName || reader.GetString() != "value")
                throw new JsonException($"A tagged {typeof(T).Name} has \"value\" after \"type\".");
            reader.Read();
            var value = (T?)JsonSerializer.Deserialize(ref reader, type, options);
            reader.Read();
            if (reader.TokenType != JsonTokenType.EndObject)
                throw new JsonException($"A tagged {typeof(T).Name} has only \"type\" and \"value\".");
            return value;
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var type = value.GetType();
            if (!Types.ContainsKey(type.FullName!))
                throw new JsonException($"{type} is not a wire message type of {nameof(WireSerializer)}.");
            writer.WriteStartObject();
            writer.WriteString("type", type.FullName);
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, value, type, options);
            writer.WriteEndObject();
        }
    }
}
