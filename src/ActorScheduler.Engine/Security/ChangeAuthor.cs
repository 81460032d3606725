namespace ActorScheduler.Engine.Security;

/// <summary>
/// Who the current request speaks for, for the audit trail: set by the gateway (and the command host) around each
/// change request, read by <see cref="JobService"/>, which stamps it on the command it sends (<c>JobCommand.By</c>). It
/// flows with the request's async calls, so nothing between the two has to pass it along.
/// </summary>
public static class ChangeAuthor
{
    /// <summary>The most characters kept: a client names itself, and a name is no place for a payload.</summary>
    public const int MaxLength = 200;

    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>The author set for this request, else the command host's client when a schedctl command is being handled.</summary>
    public static string? Current => Ambient.Value ?? Clean(CommandHost.CommandContext.Client);

    /// <summary>Sets the author for the rest of the calling async flow (the request being handled).</summary>
    public static void Set(string? author) => Ambient.Value = Clean(author);

    /// <summary><paramref name="principal"/>, then the client it named in parentheses: <c>api-token (schedctl/1.0 alice@build-1)</c>.</summary>
    public static string Describe(string principal, string? client) =>
        Clean(string.IsNullOrWhiteSpace(client) ? principal : $"{principal} ({client.Trim()})")!;

    private static string? Clean(string? text)
    {
        if (text is null)
            return null;
        var printable = new string(text.Where(c => !char.IsControl(c)).ToArray());
        return printable.Length <= MaxLength ? printable : printable[..MaxLength] + "…";
    }
}
