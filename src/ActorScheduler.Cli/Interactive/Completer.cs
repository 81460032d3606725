using ActorScheduler.Cli.Parsing;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Interactive;

/// <summary>The word to replace (from <see cref="ReplaceFrom"/> to the cursor) and what could stand there.</summary>
internal sealed record Completion(int ReplaceFrom, string Word, IReadOnlyList<string> Candidates);

/// <summary>
/// Tab completion from the advertised palettes, without a console: palette names (and the prompt's built-ins), then
/// the palette's command names, then the command's option names and the choices of an option or argument. Ids and
/// free text are not guessed: where one is expected, nothing is offered.
/// </summary>
internal sealed class Completer(IReadOnlyList<PaletteSpec> palettes)
{
    public static readonly IReadOnlyList<string> BuiltIns = [PaletteCommandLine.HelpWord, "exit", "quit"];

    private static readonly IReadOnlyList<string> EveryCommandOptions = ["--json", "--help"];

    public Completion Complete(string textBeforeCursor)
    {
        var (before, current) = CommandLineSplitter.SplitAtCursor(textBeforeCursor);
        var candidates = Candidates(before, current.Text)
            .Where(c => c.StartsWith(current.Text, StringComparison.Ordinal))
            .Distinct()
            .ToList();
        return new Completion(current.Start, current.Text, candidates);
    }

    private IEnumerable<string> Candidates(IReadOnlyList<string> before, string word)
    {
        if (before.Count == 0)
            return palettes.Select(p => p.Name).Concat(BuiltIns);
        if (before[0] == PaletteCommandLine.HelpWord)
            return HelpTopics(before);
        if (palettes.FirstOrDefault(p => p.Name == before[0]) is not { } palette)
            return [];
        if (palette.Direct is { } direct)
            return ParameterCandidates(direct, before.Skip(1).ToList(), word);
        if (before.Count == 1)
            return palette.Commands.Select(c => c.Name);
        return palette.Commands.FirstOrDefault(c => c.Name == before[1]) is { } command
            ? ParameterCandidates(command, before.Skip(2).ToList(), word)
            : [];
    }

    private IEnumerable<string> HelpTopics(IReadOnlyList<string> before) => before.Count switch
    {
        1 => palettes.Select(p => p.Name),
        2 => palettes.FirstOrDefault(p => p.Name == before[1]) is { Direct: null } palette ? palette.Commands.Select(c => c.Name) : [],
        _ => [],
    };

    private static IEnumerable<string> ParameterCandidates(CommandSpec command, IReadOnlyList<string> given, string word)
    {
        if (given.Count > 0 && FindOption(command, given[^1]) is { Kind: ParameterKind.Option } valued)
            return valued.Choices ?? [];
        if (word.StartsWith('-'))
            return UnusedOptions(command, given);
        var positional = command.Parameters.Where(p => p.Kind == ParameterKind.Argument).ToList();
        var index = CountPositional(command, given);
        if (index < positional.Count)
            return positional[index].Choices ?? [];
        return UnusedOptions(command, given);
    }

    private static IEnumerable<string> UnusedOptions(CommandSpec command, IReadOnlyList<string> given) =>
        command.Parameters
            .Where(p => p.Kind != ParameterKind.Argument && !given.Any(g => Names(p).Contains(OptionPart(g))))
            .Select(ParameterNames.Long)
            .Concat(EveryCommandOptions.Where(o => !given.Contains(o)));

    /// <summary>How many positional values the words hold: option values and flags are not counted.</summary>
    private static int CountPositional(CommandSpec command, IReadOnlyList<string> given)
    {
        var count = 0;
        for (var i = 0; i < given.Count; i++)
        {
            if (!given[i].StartsWith('-'))
                count++;
            else if (!given[i].Contains('=') && FindOption(command, given[i]) is { Kind: ParameterKind.Option })
                i++;
        }
        return count;
    }

    private static ParameterSpec? FindOption(CommandSpec command, string word) =>
        command.Parameters.FirstOrDefault(p => p.Kind != ParameterKind.Argument && Names(p).Contains(word));

    private static string[] Names(ParameterSpec parameter) =>
        ParameterNames.Alias(parameter) is { } alias ? [ParameterNames.Long(parameter), alias] : [ParameterNames.Long(parameter)];

    private static string OptionPart(string word) => word.Split('=', 2)[0];
}
