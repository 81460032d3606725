using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Parsing;

/// <summary>What one command line (the process's arguments, or a line typed at the prompt) asks for.</summary>
internal abstract record ParsedLine;

/// <summary>Help for the whole host, one palette or one command (palette and command null for the whole host).</summary>
internal sealed record HelpRequested(PaletteSpec? Palette, CommandSpec? Command) : ParsedLine;

/// <summary>
/// A command to send. <see cref="Arguments"/> are keyed by parameter name as the protocol wants them; documents
/// are still paths here (the runner reads them).
/// </summary>
internal sealed record Invocation(PaletteSpec Palette, CommandSpec Command, IReadOnlyDictionary<string, string> Arguments, bool Json)
    : ParsedLine;

/// <summary>A line that cannot be sent: the message says what is wrong and where to look (exit code 2).</summary>
internal sealed record UsageProblem(string Message) : ParsedLine;
