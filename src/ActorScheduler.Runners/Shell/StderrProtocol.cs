using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Shell;

/// <summary>A protocol line a script wrote on stderr.</summary>
internal abstract record ProtocolMessage;

internal sealed record ProgressMessage(long Current, long? Max) : ProtocolMessage;

internal sealed record EmitMessage(string EventName, JsonElement? Data) : ProtocolMessage;

/// <summary>
/// The stderr protocol of shell runs (docs/API.md, "Shell runs"):
/// <code>
/// &gt;&gt;&gt; scheduler.progress(&lt;current&gt;[, &lt;max&gt;])
/// &gt;&gt;&gt; scheduler.emit("&lt;event&gt;"[, &lt;any JSON value&gt;])
/// </code>
/// Recognized lines go to the observer and not to the output; anything else, malformed look-alikes included,
/// is output (kept, and reported to the observer as output), so a typo shows up in the run's output instead of vanishing.
/// </summary>
internal sealed partial class StderrProtocol(KeptOutput output)
{
    private static ReadOnlySpan<byte> Marker => ">>>"u8;

    private readonly Decoder decoder = Encoding.UTF8.GetDecoder();

    public void Accept(ReadOnlySpan<byte> line, bool wholeLine)
    {
        if (wholeLine && line.TrimStart(" \t"u8).StartsWith(Marker)
            && Parse(Encoding.UTF8.GetString(line)) is { } message)
            Deliver(message);
        else
            output.Keep(line, decoder);
    }

    /// <returns>The message, or null when the line is not exactly a protocol line.</returns>
    public static ProtocolMessage? Parse(string line)
    {
        var match = Shape().Match(line);
        if (!match.Success) return null;
        JsonDocument arguments;
        try
        {
            // The argument list is JSON once bracketed, which gives whitespace tolerance and any JSON value free.
            arguments = JsonDocument.Parse("[" + match.Groups["arguments"].Value + "]");
        }
        catch (JsonException)
        {
            return null;
        }
        using (arguments)
        {
            var values = arguments.RootElement.EnumerateArray().ToArray();
            return match.Groups["verb"].Value == "progress" ? ParseProgress(values) : ParseEmit(values);
        }
    }

    private static ProgressMessage? ParseProgress(JsonElement[] values)
    {
        if (values.Length is < 1 or > 2 || !TryCount(values[0], out var current)) return null;
        if (values.Length == 1) return new ProgressMessage(current, null);
        return TryCount(values[1], out var max) ? new ProgressMessage(current, max) : null;
    }

    private static EmitMessage? ParseEmit(JsonElement[] values)
    {
        if (values.Length is < 1 or > 2 || values[0].ValueKind != JsonValueKind.String) return null;
        var name = values[0].GetString()!;
        if (string.IsNullOrWhiteSpace(name)) return null;
        var data = values.Length == 2 && values[1].ValueKind != JsonValueKind.Null ? values[1].Clone() : (JsonElement?)null;
        return new EmitMessage(name, data);
    }

    private static bool TryCount(JsonElement value, out long count)
    {
        count = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count) && count >= 0;
    }

    private void Deliver(ProtocolMessage message)
    {
        switch (message)
        {
            case ProgressMessage progress: output.Observe(o => o.Progress(progress.Current, progress.Max), message); break;
            case EmitMessage emit: output.Observe(o => o.Emit(emit.EventName, emit.Data), message); break;
        }
    }

    [GeneratedRegex(@"^\s*>>>\s*scheduler\.(?<verb>progress|emit)\s*\((?<arguments>.*)\)\s*$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
