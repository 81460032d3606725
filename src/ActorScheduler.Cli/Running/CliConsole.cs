using Spectre.Console;

namespace ActorScheduler.Cli.Running;

/// <summary>
/// The streams schedctl talks through, so the whole tool runs the same against a real terminal and in specs.
/// <see cref="Out"/> is stdout; its <c>Profile.Out.Writer</c> takes plain lines and NDJSON, which must never be
/// wrapped or decorated.
/// </summary>
/// <param name="OutputIsTerminal">stdout is a terminal: live progress and colour; otherwise plain lines.</param>
/// <param name="Keyboard">The terminal's keys for the line editor; null when stdin is not a terminal.</param>
/// <param name="Input">Lines when stdin is not a terminal (a script piped in).</param>
internal sealed record CliConsole(
    IAnsiConsole Out,
    TextWriter Error,
    bool OutputIsTerminal,
    Interactive.IKeyboard? Keyboard,
    TextReader Input,
    Func<string, string?> Environment)
{
    public TextWriter Plain => Out.Profile.Out.Writer;
}
