using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Parsing;

/// <summary>
/// How a parameter is written on the command line. The protocol keys values by bare name ("status"); the host may
/// write an alias with or without its dash ("r", "-r"), so both are accepted.
/// </summary>
internal static class ParameterNames
{
    public static string Long(ParameterSpec spec) => "--" + spec.Name.TrimStart('-');

    public static string? Alias(ParameterSpec spec) => spec.Alias?.Trim() switch
    {
        null or "" => null,
        var alias when alias.StartsWith('-') => alias,
        var alias when alias.Length == 1 => "-" + alias,
        var alias => "--" + alias,
    };

    /// <summary>As help and messages show it: <c>&lt;id&gt;</c> for an argument, <c>--limit</c> for an option or flag.</summary>
    public static string Shown(ParameterSpec spec) => spec.Kind == ParameterKind.Argument ? $"<{spec.Name}>" : Long(spec);

    /// <summary>The usage form: <c>&lt;id&gt;</c>, <c>[--limit &lt;int&gt;]</c>, <c>--file &lt;document&gt;</c>, <c>[--all]</c>.</summary>
    public static string Synopsis(ParameterSpec spec)
    {
        var body = spec.Kind switch
        {
            ParameterKind.Argument => $"<{spec.Name}>",
            ParameterKind.Flag => Long(spec),
            _ => $"{Long(spec)} <{ValueName(spec)}>",
        };
        return spec.Required ? body : $"[{body}]";
    }

    /// <summary>What the value of an option is called in usage lines: its choices when short, else its type.</summary>
    public static string ValueName(ParameterSpec spec) =>
        spec.Choices is { Count: > 0 and <= 4 } choices ? string.Join('|', choices) : spec.Type;
}
