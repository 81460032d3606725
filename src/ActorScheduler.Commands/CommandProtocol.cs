using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorScheduler.Commands;

/// <summary>
/// The framing: each frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON. A frame larger
/// than the reader's limit ends the connection with <see cref="FrameTooLargeException"/> rather than allocating it.
/// </summary>
public static class CommandProtocol
{
    public const int Version = 1;

    /// <summary>The largest frame either side accepts (a job definition, a page of history, a table).</summary>
    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        AllowOutOfOrderMetadataProperties = true,
    };

    public static async Task WriteAsync(Stream stream, Frame frame, CancellationToken cancel = default)
    {
        await stream.WriteAsync(Encode(frame), cancel);
        await stream.FlushAsync(cancel);
    }

    /// <summary>A frame as it goes on the wire: its length, then its JSON.</summary>
    public static byte[] Encode(Frame frame)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(frame, Json);
        var buffer = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, body.Length);
        body.CopyTo(buffer, 4);
        return buffer;
    }

    /// <summary>The next frame, or null when the other side closed the connection between frames.</summary>
    public static async Task<Frame?> ReadAsync(Stream stream, int maxFrameBytes = DefaultMaxFrameBytes, CancellationToken cancel = default)
    {
        var header = new byte[4];
        if (!await ReadExactly(stream, header, cancel))
            return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 0 || length > maxFrameBytes)
            throw new FrameTooLargeException(length, maxFrameBytes);
        var body = new byte[length];
        if (!await ReadExactly(stream, body, cancel))
            throw new EndOfStreamException("The connection closed in the middle of a frame.");
        try
        {
            return JsonSerializer.Deserialize<Frame>(body, Json) ?? throw new InvalidDataException("An empty frame.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"A frame that is not a command frame: {e.Message}", e);
        }
    }

    private static async Task<bool> ReadExactly(Stream stream, byte[] buffer, CancellationToken cancel)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancel);
            if (n == 0)
                return read == 0 ? false : throw new EndOfStreamException("The connection closed in the middle of a frame.");
            read += n;
        }
        return true;
    }
}

public sealed class FrameTooLargeException(int length, int limit)
    : IOException($"A frame of {length} bytes is over the limit of {limit} bytes.");
