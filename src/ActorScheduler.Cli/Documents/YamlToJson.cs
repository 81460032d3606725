using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ActorScheduler.Cli.Documents;

/// <summary>
/// YAML to JSON with the YAML 1.2 core schema's idea of plain scalars: <c>true</c>/<c>false</c> are booleans,
/// <c>null</c>/<c>~</c>/nothing is null, decimal numbers are numbers, and everything else — quoted scalars, block
/// scalars, <c>yes</c>, <c>0x1F</c>, <c>007</c>, <c>30s</c>, <c>0 */5 * * *</c> — stays a string. Leading-zero
/// numbers stay strings because turning <c>007</c> into 7 silently changes an id.
/// </summary>
internal static partial class YamlToJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <exception cref="YamlException">The text is not YAML, or holds something JSON cannot say.</exception>
    public static string Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (ArgumentException e)
        {
            // a repeated key surfaces as the node dictionary's complaint
            throw new YamlException($"{e.Message} (a key appears twice in one mapping)");
        }
        if (stream.Documents.Count != 1)
            throw new YamlException($"the file holds {stream.Documents.Count} YAML documents; give exactly one");
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, stream.Documents[0].RootNode);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>YamlDotNet puts the positions in front of its message; the caller names the line itself.</summary>
    public static string Describe(YamlException e)
    {
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var reason = message.LastIndexOf("): ", StringComparison.Ordinal) is var at and >= 0 ? message[(at + 3)..] : message;
        return reason.TrimEnd('.') + ".";
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName(KeyText(key));
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new YamlException(node.Start, node.End, $"'{node}' cannot be expressed in JSON");
        }
    }

    private static string KeyText(YamlNode key) => key is YamlScalarNode { Value: { } text }
        ? text
        : throw new YamlException(key.Start, key.End, "a mapping key must be a plain value, not a list or a mapping");

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StringTag))
            writer.WriteStringValue(text);
        else if (text is "" or "~" or "null" or "Null" or "NULL")
            writer.WriteNullValue();
        else if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            writer.WriteBooleanValue(text[0] is 't' or 'T');
        else if (DecimalNumber().IsMatch(text))
            writer.WriteRawValue(text.TrimStart('+'));
        else
            writer.WriteStringValue(text);
    }

    [GeneratedRegex(@"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalNumber();
}
