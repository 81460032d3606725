using ActorScheduler.Cli.Launch;
using ActorScheduler.Cli.Parsing;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Help;

/// <summary>
/// Help, written from what the host advertised: the palettes, their commands and each command's parameters. Only the
/// generic usage (<see cref="WriteUsage"/>) is schedctl's own, and it is all there is when no host answers.
/// </summary>
internal static class HelpWriter
{
    private const string Continuation = "         ";

    public static void Write(TextWriter output, int width, HelpRequested help, Welcome? welcome, HostAddress host)
    {
        var lines = help switch
        {
            { Palette: { } palette, Command: { } command } => Command(palette, command, width),
            { Palette: { } palette } => Palette(palette, width),
            _ => Usage(width).Concat(Host(welcome, host, width)),
        };
        foreach (var line in lines)
            output.WriteLine(line);
    }

    public static void WriteUsage(TextWriter output, int width)
    {
        foreach (var line in Usage(width))
            output.WriteLine(line);
    }

    private static IEnumerable<string> Usage(int width) =>
    [
        "usage: schedctl [host:port] <palette> <command> [arguments] [options]",
        "       schedctl [host:port]     (a prompt with tab completion; help, exit)",
        "",
        .. Section("Options", [
            ("host:port", $"the node's command host; default {HostAddress.Default} or ${LaunchArguments.HostVariable}"),
            ("--token T", $"the command host's token; or ${LaunchArguments.TokenVariable}"),
            ("--token-file F", "read the token from the file F"),
            ("--timeout S", $"seconds to wait for the host and for an answer (default {LaunchArguments.DefaultTimeout.TotalSeconds:0})"),
            ("--json", "print each result as one line of JSON (NDJSON)"),
            ("-h, --help", "help: schedctl <palette> --help, schedctl <palette> <command> --help"),
            ("--version", "print schedctl's version"),
        ], width),
        "Exit codes: 0 ok, 1 failed, 2 usage, 3 host unreachable or refused.",
    ];

    private static IEnumerable<string> Host(Welcome? welcome, HostAddress host, int width)
    {
        if (welcome is null)
            return [];
        var node = welcome.Node;
        var roles = node.Roles.Count > 0 ? $", roles {string.Join(", ", node.Roles)}" : "";
        return
        [
            "",
            .. TextLayout.Wrap($"{host} is {node.Kind} {node.Address} ({node.Version}{roles}). Its palettes:", width),
            .. Section(null, welcome.Palettes.Select(p => (p.Name, p.Description)).ToList(), width),
            "schedctl <palette> --help lists a palette's commands.",
        ];
    }

    private static IEnumerable<string> Palette(PaletteSpec palette, int width) =>
    [
        $"usage: schedctl [host:port] {palette.Name} <command> [arguments] [options]",
        "",
        .. TextLayout.Wrap(palette.Description, width),
        "",
        .. Section("Commands", palette.Commands.Select(c => (c.Name, Described(c))).ToList(), width),
        $"schedctl {palette.Name} <command> --help explains one.",
    ];

    private static IEnumerable<string> Command(PaletteSpec palette, CommandSpec command, int width)
    {
        var words = palette.Direct is null ? new[] { "[host:port]", palette.Name, command.Name } : ["[host:port]", palette.Name];
        var synopsis = words.Concat(command.Parameters.Select(ParameterNames.Synopsis));
        var arguments = command.Parameters.Where(p => p.Kind == ParameterKind.Argument).Select(p => ($"<{p.Name}>", Details(p))).ToList();
        var options = command.Parameters.Where(p => p.Kind != ParameterKind.Argument).Select(p => (OptionNames(p), Details(p)))
            .Append(("--json", "print each result as one line of JSON (NDJSON)")).ToList();
        return
        [
            .. TextLayout.Wrap(synopsis, width, "usage: schedctl ", Continuation),
            "",
            .. TextLayout.Wrap(command.Description, width),
            .. command.Streams ? ["It runs until you press Ctrl-C."] : Array.Empty<string>(),
            "",
            .. arguments.Count > 0 ? Section("Arguments", arguments, width) : [],
            .. Section("Options", options, width),
        ];
    }

    /// <summary>A streaming command says so, unless the host's description already does.</summary>
    private static string Described(CommandSpec command) =>
        command.Streams && !command.Description.Contains("Ctrl-C", StringComparison.Ordinal)
            ? $"{command.Description} (runs until Ctrl-C)"
            : command.Description;

    private static string OptionNames(ParameterSpec parameter)
    {
        var names = ParameterNames.Alias(parameter) is { } alias ? $"{alias}, {ParameterNames.Long(parameter)}" : ParameterNames.Long(parameter);
        return parameter.Kind == ParameterKind.Flag ? names : $"{names} <{parameter.Type}>";
    }

    private static string Details(ParameterSpec parameter)
    {
        var details = new List<string> { parameter.Description };
        if (parameter.Required && parameter.Kind != ParameterKind.Argument)
            details.Add("(required)");
        if (parameter.Choices is { Count: > 0 } choices)
            details.Add($"(one of: {string.Join(", ", choices)})");
        if (!string.IsNullOrEmpty(parameter.Default))
            details.Add($"(default: {parameter.Default})");
        if (parameter.Type == ParameterTypes.Document)
            details.Add("(a JSON or YAML file)");
        if (parameter.Type == ParameterTypes.Directory)
            details.Add("(a directory on this machine; schedctl sends its files, not dot files or dot directories such as .git)");
        return string.Join(' ', details);
    }

    private static IEnumerable<string> Section(string? title, IReadOnlyList<(string Name, string Text)> rows, int width) =>
        (title is null ? [] : new[] { title + ":" }).Concat(TextLayout.Columns(rows, width)).Append("");
}
