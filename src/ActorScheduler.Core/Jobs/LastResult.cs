using System.Text.Json;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// What a run passes on to the job's next run (<c>SCHEDULER_LAST_RESULT</c>), as Temporal passes the last completion
/// result: the data the run emitted last, as JSON text, when it emitted any that fits in <see cref="MaxLength"/>; else the
/// last <see cref="MaxLength"/> characters of its output; null when it left neither (a lost run, one canceled before it
/// started). Taken from the <see cref="RunFinished"/> event alone, so replay gives the same value.
/// </summary>
public static class LastResult
{
    /// <summary>The bound on what a run passes on (characters): it travels with every dispatch and sits in the state.</summary>
    public const int MaxLength = 4096;

    public static string? Of(RunFinished finished)
    {
        if (Emitted(finished.Result) is { } emitted)
            return emitted;
        return string.IsNullOrEmpty(finished.Output) ? null : Tail(finished.Output);
    }

    /// <summary>Emitted data as it is passed on: its JSON text, or null when there is none or it is too long to pass whole.</summary>
    public static string? Emitted(JsonElement? data) =>
        data is { ValueKind: not JsonValueKind.Undefined } element && element.GetRawText() is { Length: <= MaxLength } text ? text : null;

    /// <summary>The last <see cref="MaxLength"/> characters, never starting inside a surrogate pair.</summary>
    private static string Tail(string output)
    {
        if (output.Length <= MaxLength)
            return output;
        var start = output.Length - MaxLength;
        if (char.IsLowSurrogate(output[start]))
            start++;
        return output[start..];
    }
}
