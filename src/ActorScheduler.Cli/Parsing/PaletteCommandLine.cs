using System.CommandLine;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Parsing;

/// <summary>
/// The System.CommandLine tree for the palettes one host advertises: <c>&lt;palette&gt; &lt;command&gt;</c> with each
/// command's arguments, options and flags, plus <c>--json</c> and <c>--help</c> everywhere. Built once per
/// connection and used for the process's arguments and for every line typed at the prompt.
/// </summary>
internal sealed class PaletteCommandLine
{
    /// <summary>The built-in that shows help: <c>help</c>, <c>help jobs</c>, <c>help jobs list</c>.</summary>
    public const string HelpWord = "help";

    private static readonly ParserConfiguration Configuration = new()
    {
        // Values travel verbatim: "-abc" is not three flags and "@file" is not a response file.
        EnablePosixBundling = false,
        ResponseFileTokenReplacer = null,
    };

    private readonly Command _root = new("schedctl");
    private readonly Option<bool> _help = new("--help", "-h", "-?") { Arity = ArgumentArity.Zero, Recursive = true, Description = "Show help." };
    private readonly Option<bool> _json = new("--json") { Arity = ArgumentArity.Zero, Recursive = true, Description = "Print each result as one JSON line." };
    private readonly Dictionary<Command, PaletteSpec> _palettes = [];
    private readonly Dictionary<Command, (PaletteSpec Palette, CommandSpec Command, IReadOnlyList<ParameterBinding> Bindings)> _commands = [];

    public PaletteCommandLine(IReadOnlyList<PaletteSpec> palettes)
    {
        Palettes = palettes;
        _root.Options.Add(_help);
        _root.Options.Add(_json);
        foreach (var palette in palettes)
            _root.Subcommands.Add(PaletteCommand(palette));
    }

    public IReadOnlyList<PaletteSpec> Palettes { get; }

    public ParsedLine Parse(IReadOnlyList<string> tokens)
    {
        if (tokens.Count > 0 && tokens[0] == HelpWord)
            return HelpTopic(tokens.Skip(1).Where(t => !t.StartsWith('-')).ToList());
        var result = _root.Parse(tokens, Configuration);
        var target = result.CommandResult.Command;
        _palettes.TryGetValue(target, out var palette);
        var found = _commands.TryGetValue(target, out var command);
        palette ??= found ? command.Palette : null;
        if (result.GetValue(_help))
            return new HelpRequested(palette, found ? command.Command : null);
        if (!found)
            return new UsageProblem(MissingCommand(palette, result.UnmatchedTokens));
        if (result.Errors.Count > 0)
        {
            var errors = string.Join(Environment.NewLine, result.Errors.Select(e => e.Message).Distinct());
            return new UsageProblem($"{errors}{Environment.NewLine}(schedctl {Words(palette!, command.Command)} --help)");
        }
        var arguments = new Dictionary<string, string>();
        foreach (var binding in command.Bindings)
            if (binding.ValueIn(result) is { } value)
                arguments[binding.Spec.Name] = value;
        return new Invocation(command.Palette, command.Command, arguments, result.GetValue(_json));
    }

    /// <summary>How a command is named on the command line: <c>jobs list</c>, or <c>deploy</c> for a palette that is its one command.</summary>
    public static string Words(PaletteSpec palette, CommandSpec command) => palette.Direct is null ? $"{palette.Name} {command.Name}" : palette.Name;

    public PaletteSpec? FindPalette(string name) => Palettes.FirstOrDefault(p => p.Name == name);

    private Command PaletteCommand(PaletteSpec palette)
    {
        var paletteCommand = new Command(palette.Name, palette.Description);
        _palettes[paletteCommand] = palette;
        if (palette.Direct is { } direct)
        {
            Bind(paletteCommand, palette, direct); // schedctl deploy DIR: the palette is its one command
            return paletteCommand;
        }
        foreach (var spec in palette.Commands)
        {
            var command = new Command(spec.Name, spec.Description);
            Bind(command, palette, spec);
            paletteCommand.Subcommands.Add(command);
        }
        return paletteCommand;
    }

    private void Bind(Command command, PaletteSpec palette, CommandSpec spec)
    {
        var bindings = spec.Parameters.Select(ParameterBinding.Create).ToList();
        foreach (var binding in bindings)
        {
            if (binding.Symbol is Argument argument)
                command.Arguments.Add(argument);
            else
                command.Options.Add((Option)binding.Symbol);
        }
        _commands[command] = (palette, spec, bindings);
    }

    private ParsedLine HelpTopic(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
            return new HelpRequested(null, null);
        if (FindPalette(words[0]) is not { } palette)
            return new UsageProblem(UnknownPalette(words[0]));
        if (words.Count == 1)
            return new HelpRequested(palette, palette.Direct);
        return palette.Commands.FirstOrDefault(c => c.Name == words[1]) is { } command
            ? new HelpRequested(palette, command)
            : new UsageProblem(UnknownCommand(palette, words[1]));
    }

    private string MissingCommand(PaletteSpec? palette, IReadOnlyList<string> unmatched)
    {
        var stray = unmatched.FirstOrDefault();
        if (palette is null)
            return stray is null
                ? $"Name a palette and a command, such as 'schedctl {Palettes.FirstOrDefault()?.Name ?? "cluster"} <command>'. {PaletteList()}"
                : UnknownPalette(stray);
        return stray is null
            ? $"Name a command of palette '{palette.Name}': {string.Join(", ", palette.Commands.Select(c => c.Name))}. (schedctl {palette.Name} --help)"
            : UnknownCommand(palette, stray);
    }

    private string UnknownPalette(string name) => $"This host serves no palette '{name}'. {PaletteList()}";

    private static string UnknownCommand(PaletteSpec palette, string name) =>
        $"Palette '{palette.Name}' has no command '{name}'; it has {string.Join(", ", palette.Commands.Select(c => c.Name))}. (schedctl {palette.Name} --help)";

    private string PaletteList() => Palettes.Count == 0
        ? "This host serves no palettes."
        : $"Its palettes: {string.Join(", ", Palettes.Select(p => p.Name))}. (schedctl --help)";
}
