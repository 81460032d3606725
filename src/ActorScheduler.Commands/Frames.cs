using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorScheduler.Commands;

/// <summary>
/// Everything that travels on a command connection. The conversation:
/// <code>
///   client                                  host
///   Hello(token, client, version)   ──▶
///                                   ◀──     Welcome(node, palettes)   | Refused(code, message), then close
///   Request(id, palette, command, args) ─▶
///                                   ◀──     Output(id, …) × n         (streamed as the command produces it)
///   Cancel(id)  (Ctrl-C, optional)  ──▶
///                                   ◀──     End(id, status, message)  (always last for a request)
/// </code>
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Hello), "hello")]
[JsonDerivedType(typeof(Welcome), "welcome")]
[JsonDerivedType(typeof(Refused), "refused")]
[JsonDerivedType(typeof(Request), "request")]
[JsonDerivedType(typeof(Cancel), "cancel")]
[JsonDerivedType(typeof(Output), "output")]
[JsonDerivedType(typeof(End), "end")]
public abstract record Frame;

/// <param name="Version">The protocol version the client speaks (<see cref="CommandProtocol.Version"/>).</param>
public sealed record Hello(string? Token, string Client, int Version) : Frame;

/// <summary>The host's answer to a good <see cref="Hello"/>: who it is and what it can do.</summary>
public sealed record Welcome(NodeInfo Node, IReadOnlyList<PaletteSpec> Palettes) : Frame;

/// <param name="Address">The node's cluster address (<c>akka.ssl.tcp://actor-scheduler@10.0.0.5:4053</c>).</param>
/// <param name="Kind">"node" or "lighthouse".</param>
public sealed record NodeInfo(string Address, string Kind, IReadOnlyList<string> Roles, string Version);

/// <summary>The handshake was refused (<see cref="RefusalCodes"/>); the host closes the connection after it.</summary>
public sealed record Refused(string Code, string Message) : Frame;

/// <summary>Run a command. Arguments are keyed by the parameter's name; absent ones take the host's defaults.</summary>
public sealed record Request(int Id, string Palette, string Command, IReadOnlyDictionary<string, string> Arguments) : Frame;

/// <summary>Stop a running request (a tail, or anything the user gave up waiting for); the host answers with its End.</summary>
public sealed record Cancel(int Id) : Frame;

/// <summary>
/// One piece of a request's answer. <see cref="View"/> says how a terminal shows <see cref="Data"/>
/// (<see cref="OutputViews"/>); with <c>--json</c> the CLI prints <see cref="Data"/> as one JSON line instead.
/// </summary>
/// <param name="Columns">For tables and lines: the properties of each row object, in display order.</param>
/// <param name="Footer">For tables and lines: a closing line (<c>Count: 3 nodes</c>), not part of the data.</param>
public sealed record Output(int Id, string View, JsonElement Data, IReadOnlyList<string>? Columns = null, string? Footer = null) : Frame;

/// <summary>The last frame of a request (<see cref="EndStatus"/>), with a message for anything but success.</summary>
public sealed record End(int Id, string Status, string? Message = null) : Frame;

public static class OutputViews
{
    /// <summary>Data is a string: printed as a line.</summary>
    public const string Text = "text";

    /// <summary>Data is an array of objects: a table with <see cref="Output.Columns"/> as headers.</summary>
    public const string Table = "table";

    /// <summary>Data is an array of objects: one line per row, the columns joined with " | " (pbm's member list).</summary>
    public const string Lines = "lines";

    /// <summary>Data is an object: a two-column grid of its properties.</summary>
    public const string Object = "object";

    /// <summary>
    /// Data is <c>{"key","label","done","total","state"}</c>: a live progress bar per key, finished when state is not
    /// "running".
    /// </summary>
    public const string Progress = "progress";
}

public static class EndStatus
{
    public const string Ok = "ok";

    /// <summary>The command was understood and refused, or what it asked for failed (CLI exit code 1).</summary>
    public const string Failed = "failed";

    /// <summary>The arguments were wrong (CLI exit code 2).</summary>
    public const string Usage = "usage";

    /// <summary>The client canceled the request (Ctrl-C on a tail): a normal end.</summary>
    public const string Canceled = "canceled";
}

public static class RefusalCodes
{
    public const string Unauthorized = "unauthorized";
    public const string Busy = "busy";
    public const string Version = "version";
    public const string Protocol = "protocol";
}
