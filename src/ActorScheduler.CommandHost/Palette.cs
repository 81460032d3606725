using ActorScheduler.Commands;

namespace ActorScheduler.CommandHost;

/// <summary>What a command does with its arguments, writing its answer to the context's output.</summary>
public delegate Task CommandHandler(CommandContext context);

/// <summary>A palette: its advertised spec and the handler of each command.</summary>
public sealed class Palette
{
    private readonly Dictionary<string, (CommandSpec Spec, CommandHandler Handler)> _commands = new(StringComparer.Ordinal);
    private readonly string _description;

    public Palette(string name, string description) => (Name, _description) = (name, description);

    public string Name { get; }

    public PaletteSpec Spec => new(Name, _description, _commands.Values.Select(c => c.Spec).ToList());

    /// <summary>Adds a command; its parameters are advertised exactly as given.</summary>
    public Palette Command(string name, string description, CommandHandler handler, params ParameterSpec[] parameters) =>
        Add(new CommandSpec(name, description, parameters), handler);

    /// <summary>Adds a command that runs until the client cancels it.</summary>
    public Palette Streaming(string name, string description, CommandHandler handler, params ParameterSpec[] parameters) =>
        Add(new CommandSpec(name, description, parameters, Streams: true), handler);

    public (CommandSpec Spec, CommandHandler Handler)? Find(string command) =>
        _commands.TryGetValue(command, out var found) ? found : null;

    private Palette Add(CommandSpec spec, CommandHandler handler)
    {
        _commands.Add(spec.Name, (spec, handler));
        return this;
    }
}

/// <summary>Shorthands for parameter specs.</summary>
public static class Param
{
    public static ParameterSpec Argument(string name, string description, string type = ParameterTypes.Text) =>
        new(name, ParameterKind.Argument, description, Required: true, Type: type);

    public static ParameterSpec Option(string name, string? alias, string description, string type = ParameterTypes.Text,
        string? defaultValue = null, bool required = false, IReadOnlyList<string>? choices = null) =>
        new(name, ParameterKind.Option, description, alias, required, defaultValue, type, choices);

    public static ParameterSpec Flag(string name, string? alias, string description) =>
        new(name, ParameterKind.Flag, description, alias);
}
