using System.Globalization;
using System.Text.Json;
using ActorScheduler.Commands;

namespace ActorScheduler.CommandHost;

/// <summary>
/// One request as a handler sees it: the arguments (checked against the command's spec), the output, and the
/// token that fires when the client cancels or goes away.
/// </summary>
public sealed class CommandContext(CommandSpec spec, IReadOnlyDictionary<string, string> arguments, Func<Output, Task> write, int requestId,
    CancellationToken cancel)
{
    private static readonly AsyncLocal<string?> CurrentClient = new();

    public CancellationToken Cancel { get; } = cancel;

    /// <summary>
    /// The client the command being handled came from, as the session describes it (<c>command-host (schedctl/1 alice@build-1)</c>),
    /// for the audit trail; it flows with the handler's async calls. Null outside a command.
    /// </summary>
    public static string? Client => CurrentClient.Value;

    internal static void SetClient(string? client) => CurrentClient.Value = client;

    /// <summary>An argument's value, its advertised default, or null.</summary>
    public string? Get(string name) =>
        arguments.TryGetValue(name, out var value) && value.Length > 0 ? value : Spec(name).Default;

    /// <summary>An argument the command cannot do without (a usage error names it).</summary>
    public string Required(string name) =>
        Get(name) ?? throw new CommandUsageException($"{Describe(Spec(name))} is required.");

    public bool Flag(string name) => Get(name) is "true";

    public int Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Required(name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CommandUsageException($"{Describe(Spec(name))} must be a whole number from {min} to {max}; got '{text}'.");
    }

    public DateTimeOffset? Time(string name) =>
        Get(name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw new CommandUsageException($"{Describe(Spec(name))} must be a time like 2026-12-01T08:00:00Z; got '{text}'.");

    public Task Text(string line) => Write(OutputViews.Text, line);

    /// <summary>Rows as a table; <paramref name="columns"/> name the row properties shown, in order.</summary>
    public Task Table<T>(IReadOnlyList<T> rows, IReadOnlyList<string> columns, string? footer = null) =>
        Write(OutputViews.Table, rows, columns, footer);

    /// <summary>Rows as lines (<c>a | b | c</c>), then a footer (pbm's member list).</summary>
    public Task Lines<T>(IReadOnlyList<T> rows, IReadOnlyList<string> columns, string? footer = null) =>
        Write(OutputViews.Lines, rows, columns, footer);

    public Task Object<T>(T value) => Write(OutputViews.Object, value);

    public Task Progress(string key, string label, long done, long? total, string state) =>
        Write(OutputViews.Progress, new { key, label, done, total, state });

    private Task Write<T>(string view, T data, IReadOnlyList<string>? columns = null, string? footer = null) =>
        write(new Output(requestId, view, JsonSerializer.SerializeToElement(data, CommandProtocol.Json), columns, footer));

    private ParameterSpec Spec(string name) =>
        spec.Parameters.FirstOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"'{spec.Name}' has no parameter '{name}'.");

    private static string Describe(ParameterSpec parameter) =>
        parameter.Kind == ParameterKind.Argument ? $"<{parameter.Name}>" : $"--{parameter.Name}";
}
