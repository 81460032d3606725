using System.Text.Json.Serialization;

namespace ActorScheduler.Commands;

/// <summary>
/// A palette as the host advertises it when a client connects (pbm's idea): a named group of commands. The CLI builds
/// its parser, its help and its tab completion from these, so a host can add commands without a new CLI.
/// </summary>
public sealed record PaletteSpec(string Name, string Description, IReadOnlyList<CommandSpec> Commands)
{
    /// <summary>
    /// The command a palette is, when it has only one and names it as itself (<c>deploy</c>): the CLI runs it as
    /// <c>schedctl deploy DIR</c>, without a command word.
    /// </summary>
    [JsonIgnore]
    public CommandSpec? Direct => Commands is [var only] && only.Name == Name ? only : null;
}

/// <summary>
/// One command. <see cref="Streams"/> marks a command that runs until the client cancels it (<c>tail</c>).
/// </summary>
public sealed record CommandSpec(string Name, string Description, IReadOnlyList<ParameterSpec> Parameters, bool Streams = false);

/// <summary>
/// A positional argument, an option with a value (<c>--limit 10</c>, alias <c>-n</c>) or a flag (<c>--all</c>).
/// Values travel as strings keyed by <see cref="Name"/>; a flag that is present travels as "true".
/// </summary>
/// <param name="Type">What the value is, which tells the CLI how to check or read it: one of <see cref="ParameterTypes"/>.</param>
/// <param name="Default">The value the host uses when the parameter is left out (shown in help).</param>
public sealed record ParameterSpec(
    string Name,
    ParameterKind Kind,
    string Description,
    string? Alias = null,
    bool Required = false,
    string? Default = null,
    string Type = ParameterTypes.Text,
    IReadOnlyList<string>? Choices = null);

public enum ParameterKind
{
    Argument,
    Option,
    Flag,
}

/// <summary>The value types a parameter can declare.</summary>
public static class ParameterTypes
{
    public const string Text = "string";
    public const string Integer = "int";

    /// <summary>A JSON value typed on the command line (<c>--data '{"a":1}'</c>).</summary>
    public const string Json = "json";

    /// <summary>
    /// A path to a JSON or YAML file on the CLI's machine: the CLI reads it and sends its content as JSON text
    /// (the host may be on another machine and never sees the path).
    /// </summary>
    public const string Document = "document";

    /// <summary>
    /// A directory on the CLI's machine: the CLI reads its regular files (not dot files, not under dot directories such
    /// as .git, within bounds) and sends them as JSON text, <c>[ { "path", "content" (base64), "executable" } ]</c>
    /// with paths relative to the directory and '/' separators. The host never sees the path.
    /// </summary>
    public const string Directory = "directory";

    /// <summary>A point in time: ISO 8601 with an offset.</summary>
    public const string Time = "time";

    /// <summary>A member address, <c>akka.tcp://system@host:port</c>.</summary>
    public const string Address = "address";
}
