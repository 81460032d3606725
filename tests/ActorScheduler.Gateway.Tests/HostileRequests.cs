using System.Text;
using System.Text.Json;

namespace ActorScheduler.Gateway.Tests;

/// <summary>One request of <see cref="HostileRequests"/>: what it tries, and how to send it.</summary>
public sealed record HostileRequest(
    string What, HttpMethod Method, string Path, byte[]? Body = null, string? ContentType = "application/json",
    (string Name, string Value)[]? Headers = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            // A body over the limit is refused before it is sent, so the refusal is read rather than cut off.
            message.Headers.ExpectContinue = Body.Length > GatewayServer.MaxRequestBodyBytes;
        }
        foreach (var (name, value) in Headers ?? [])
            message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString() =>
        $"{What}: {Method} {Path}{(Body is null ? "" : $" [{Body.Length} bytes {ContentType}] {Preview(Body)}")}" +
        string.Concat((Headers ?? []).Select(h => $" {h.Name}: {h.Value}"));

    private static string Preview(byte[] body) =>
        Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings("⏎");
}

/// <summary>
/// Requests the API must refuse, drawn from a seeded <see cref="Random"/> so a failure replays exactly: numbers
/// that overflow, control characters in ids and strings, deep nesting, bodies over the limit, wrong content types,
/// bad ids in paths, invalid UTF-8, truncated JSON, wrong methods, foreign Host and Origin headers. Each one is
/// refused whatever state the engine is in, so none may create anything. Job ids in bodies come from
/// <see cref="PoolIds"/>, so the spec can check that none of them exists afterwards.
/// </summary>
public sealed class HostileRequests(int seed)
{
    public static readonly IReadOnlyList<string> PoolIds = [.. Enumerable.Range(0, 8).Select(i => $"hostile-{i}")];

    private const string Jobs = "/api/v1/jobs";
    private const string Noop = """ "run": { "handler": { "name": "noop" } } """;

    // Kestrel refuses a NUL in the request line itself, before any middleware, with a bodiless 400: NUL is tried in
    // bodies only. Dot-only ids are left out too: the client folds "/jobs/.." into another path before sending.
    private static readonly string[] ControlCharacters = ["\n", "\r", "\r\n", "\t", "\u0001", "\u001b", "\u001f", "\u007f", "\u0085", "\u2028"];

    private static readonly string[] Units = ["years", "y", "months", "M", "weeks", "w", "days", "d", "hours", "h", "minutes", "m", "seconds", "s", "milliseconds", "ms"];

    private static readonly string[] WrongContentTypes =
        ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/html", "image/png"];

    private readonly Random _random = new(seed);

    public IEnumerable<HostileRequest> Take(int count)
    {
        var kinds = new Func<HostileRequest>[]
        {
            OverflowingSchedule, OverflowingMember, OverflowingPreview, ControlCharacterInPathId, ControlCharacterInBody,
            UnstorableString, DeepNesting, WrongContentType, BadPathId, BadRunId, InvalidUtf8, TruncatedJson, WrongMethod,
            ForeignHost, ForeignOrigin, NotADefinition,
        };
        for (var i = 0; i < count; i++)
            yield return i % 200 == 199 ? OverTheLimit() : Pick(kinds)();
    }

    private HostileRequest OverflowingSchedule()
    {
        var every = $$"""{ "{{Pick(Units)}}": {{Huge()}}{{(Chance(2) ? $", \"{Pick(Units)}\": {_random.Next(1, 60)}" : "")}} }""";
        var schedule = _random.Next(4) switch
        {
            0 => $$"""{ "every": {{every}} }""",
            1 => $$"""{ "every": { "s": {{_random.Next(1, 100)}} }, "decay": { "factor": 2, "{{Pick("min", "max")}}": {{every}} } }""",
            2 => $$"""{ "every": {{every}}, "decay": { "factor": {{Pick("0.5", "2", "1e400", "-1", "0")}} } }""",
            _ => $$"""{ "after": "{{HugeDuration()}}" }""",
        };
        return Define("overflowing schedule", $""" "schedule": {schedule} """);
    }

    private HostileRequest OverflowingMember() => Define("overflowing member", Pick(
        $""" "maxRuns": {Pick("2147483648", "-2147483649", "9223372036854775808", "1e3", "1.5", "0", "-1", "\"5\"")} """,
        $$""" "retry": { "maxAttempts": {{Pick("0", "1001", "2147483648", "-9223372036854775808", "1e2")}} } """,
        $$""" "retry": { "delay": "{{HugeDuration()}}" } """,
        $$""" "retry": { "multiplier": {{Pick("1e999", "101", "-1", "0.5")}} } """,
        $$""" "retry": { "maxDelay": "{{HugeDuration()}}" } """,
        $""" "timeout": "{HugeDuration()}" """,
        $$""" "misfire": { "{{Pick("catchUpWindow", "threshold")}}": "{{HugeDuration()}}" } """,
        $$""" "window": { "{{Pick("start", "stop")}}": "{{HugeTime()}}" } """,
        $$""" "schedule": { "at": "{{HugeTime()}}" } """));

    private HostileRequest OverflowingPreview()
    {
        var body = _random.Next(3) switch
        {
            0 => $$"""{ "schedule": { "every": { "{{Pick(Units)}}": {{Huge()}} } } }""",
            1 => $$"""{ "schedule": { "every": { "d": 1 } }, "count": {{Pick("0", "-1", "1001", "2147483648", "1e3", "9223372036854775807")}} }""",
            _ => $$"""{ "schedule": { "every": { "d": 1 } }, "from": "{{HugeTime()}}" }""",
        };
        return new HostileRequest("overflowing preview", HttpMethod.Post, "/api/v1/schedules/preview", Utf8(body));
    }

    private HostileRequest ControlCharacterInPathId()
    {
        var id = WithControlCharacter(PoolId());
        var escaped = Uri.EscapeDataString(id);
        return _random.Next(5) switch
        {
            0 => new("control character in path id", HttpMethod.Put, $"{Jobs}/{escaped}", Utf8($$"""{ {{Noop}} }""")),
            1 => new("control character in path id", HttpMethod.Get, $"{Jobs}/{escaped}"),
            2 => new("control character in path id", HttpMethod.Post, $"{Jobs}/{escaped}/{Pick("trigger", "pause", "resume")}", null),
            3 => new("control character in path id", HttpMethod.Delete, $"{Jobs}/{escaped}"),
            _ => new("control character in list cursor", HttpMethod.Get, $"{Jobs}?after={escaped}"),
        };
    }

    private HostileRequest ControlCharacterInBody()
    {
        var text = JsonSerializer.Serialize(WithControlCharacter(Pick("PT30S", "P1D", "2026-12-01T00:00:00Z", "hostile-up", "0 0 * * *", "Europe/Amsterdam")));
        return Define("control character in body", Pick(
            $""" "id": {JsonSerializer.Serialize(WithControlCharacter(PoolId()))}, {Noop} """,
            $""" "timeout": {text} """,
            $$""" "window": { "start": {{text}} } """,
            $$""" "retry": { "delay": {{text}} } """,
            $$""" "schedule": { "cron": {{text}} } """,
            $$""" "schedule": { "cron": "0 0 * * *", "timeZone": {{text}} } """,
            $$""" "schedule": { "at": {{text}} } """,
            $$""" "triggers": [ { "job": {{JsonSerializer.Serialize(WithControlCharacter("upstream"))}}, "on": "succeeded" } ] """),
            withId: true);
    }

    /// <summary>U+0000 and unpaired surrogates: no storage or process can take them, wherever they appear.</summary>
    private HostileRequest UnstorableString()
    {
        var bad = Pick(@"\u0000", @"a\u0000", @"\ud800", @"x\udfff", @"\udc00\ud800", @"\ud83d");
        if (Chance(4))
        {
            var (action, body) = Pick(("trigger", $$"""{ "data": { "k": "{{bad}}" } }"""), ("pause", $$"""{ "reason": "{{bad}}" }"""));
            return new("unstorable string in an action", HttpMethod.Post, $"{Jobs}/{PoolId()}/{action}", Utf8(body));
        }
        return Define("unstorable string", Pick(
            $""" "tags": ["ok", "{bad}"] """, $""" "worker": "{bad}" """, $$""" "data": { "{{bad}}": 1 } """,
            $""" "data": ["{bad}"] """, $$""" "triggers": [ { "event": "{{bad}}" } ] """, $""" "notWorker": "{bad}" """));
    }

    private HostileRequest DeepNesting()
    {
        var depth = _random.Next(64, 3000);
        var nested = Chance(2)
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        return Chance(3)
            ? new("deep nesting", HttpMethod.Post, Pick(Jobs, "/api/v1/schedules/preview"), Utf8(nested))
            : Define("deep nesting", $""" "data": {nested} """);
    }

    private HostileRequest OverTheLimit()
    {
        var padding = new string('x', (int)GatewayServer.MaxRequestBodyBytes + _random.Next(1, 64 * 1024));
        var body = Utf8(Api.Job(PoolId(), $$""" "data": { "padding": "{{padding}}" } """));
        return _random.Next(3) switch
        {
            0 => new("body over the limit", HttpMethod.Post, Jobs, body),
            1 => new("body over the limit", HttpMethod.Put, $"{Jobs}/{PoolId()}", body),
            _ => new("body over the limit", HttpMethod.Post, $"{Jobs}/{PoolId()}/trigger", body),
        };
    }

    private HostileRequest WrongContentType()
    {
        var id = PoolId();
        var (method, path) = Pick((HttpMethod.Post, Jobs), (HttpMethod.Put, $"{Jobs}/{id}"), (HttpMethod.Post, "/api/v1/schedules/preview"));
        var body = path.Contains("preview") ? """{ "schedule": { "every": { "d": 1 } } }""" : Api.Job(id);
        return new("wrong content type", method, path, Utf8(body), Pick(WrongContentTypes));
    }

    private HostileRequest BadPathId()
    {
        var id = Pick(
            new string('a', _random.Next(129, 400)), "jöb", "job\u200b", "job😀", "a/b", "a\\b", "a?b", "a#b", "a%b", "a~b",
            "a b", "a+b", "a:b", "a;b", "a*b", "<script>", "a\"b", "'", "a,b", "a|b", "-\u0301");
        var escaped = Uri.EscapeDataString(id);
        var (method, suffix) = Pick(
            (HttpMethod.Get, ""), (HttpMethod.Delete, ""), (HttpMethod.Get, "/runs"), (HttpMethod.Get, "/history"),
            (HttpMethod.Post, "/trigger"), (HttpMethod.Post, "/pause"), (HttpMethod.Post, "/resume"), (HttpMethod.Put, ""));
        var body = method == HttpMethod.Put ? Utf8($$"""{ {{Noop}} }""") : null;
        return new("bad id in path", method, $"{Jobs}/{escaped}{suffix}", body);
    }

    private HostileRequest BadRunId()
    {
        var runId = Pick(
            $"{PoolId()}~0", $"{PoolId()}~-1", $"{PoolId()}~1.5", $"{PoolId()}~99999999999999999999", "~1", PoolId(), $"{PoolId()}~",
            "a b~1", $"{PoolId()}~1~2", $"{PoolId()}~+1", $"{PoolId()}~ 1", $"{PoolId()}~1\n", $"{PoolId()}~٣", $"{PoolId()}~{_random.Next(1, 1000)}");
        var (method, suffix) = Pick((HttpMethod.Get, ""), (HttpMethod.Post, "/cancel"));
        return new("bad run id", method, $"/api/v1/runs/{Uri.EscapeDataString(runId)}{suffix}");
    }

    private HostileRequest InvalidUtf8()
    {
        byte[][] sequences = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80]];
        var bad = Pick(sequences);
        var job = $"{{ \"id\": \"{PoolId()}\", {Noop}, ";
        var (before, after) = Pick(
            (job + "\"data\": { \"k\": \"a", "\" } }"),
            ("{ \"id\": \"h", $"\", {Noop} }}"),
            (job + "\"tags\": [\"", "\"] }"),
            (job + "\"data\": ", " }"));
        return new("invalid UTF-8", HttpMethod.Post, Jobs, [.. Utf8(before), .. bad, .. Utf8(after)]);
    }

    private HostileRequest TruncatedJson()
    {
        var id = PoolId();
        var (method, path, body) = Pick(
            (HttpMethod.Post, Jobs, Api.Job(id, """ "schedule": { "every": { "minutes": 5 } }, "tags": ["a"], "data": { "k": [1, 2, { "x": null }] } """)),
            (HttpMethod.Put, $"{Jobs}/{id}", Api.Job(id, """ "retry": { "maxAttempts": 3, "delay": "PT1S" } """)),
            (HttpMethod.Post, $"{Jobs}/{id}/trigger", """{ "data": { "customer": 1234, "list": ["a", "b"] } }"""),
            (HttpMethod.Post, $"{Jobs}/{id}/reschedule", """{ "at": "2030-01-01T00:00:00Z" }"""),
            (HttpMethod.Post, "/api/v1/schedules/preview", """{ "schedule": { "cron": "0 * * * *" }, "count": 5 }"""));
        var bytes = Utf8(body.Trim());
        return new("truncated JSON", method, path, bytes[.._random.Next(1, bytes.Length)]);
    }

    private HostileRequest WrongMethod()
    {
        var id = PoolId();
        var (method, path) = Pick(
            (HttpMethod.Patch, $"{Jobs}/{id}"), (HttpMethod.Delete, Jobs), (HttpMethod.Put, Jobs), (HttpMethod.Get, $"{Jobs}/{id}/trigger"),
            (HttpMethod.Post, $"{Jobs}/{id}"), (HttpMethod.Trace, Jobs), (HttpMethod.Post, "/healthz"), (HttpMethod.Delete, "/readyz"),
            (HttpMethod.Put, $"/api/v1/runs/{id}~1"), (HttpMethod.Get, "/api/v1/schedules/preview"), (HttpMethod.Options, $"{Jobs}/{id}"),
            (HttpMethod.Delete, $"/api/v1/runs/{id}~1"), (new HttpMethod("PROPFIND"), Jobs), (HttpMethod.Post, $"{Jobs}/{id}/delete"),
            (HttpMethod.Get, "/api/v2/jobs"), (HttpMethod.Post, "/api/v1/cluster/members"));
        var body = method == HttpMethod.Get || method == HttpMethod.Trace || method == HttpMethod.Options ? null : Utf8(Api.Job(id));
        return new("wrong method or path", method, path, body);
    }

    private HostileRequest ForeignHost()
    {
        var host = Pick("attacker.example", "attacker.example:80", "localhost.attacker.example", "127.0.0.1.nip.io", "10.0.0.1", "[::2]", "0.0.0.0", "localhost.");
        return Valid("foreign Host") with { Headers = [("Host", host)] };
    }

    private HostileRequest ForeignOrigin()
    {
        var origin = Pick("http://evil.example", "null", "https://127.0.0.1.evil.example", "http://127.0.0.1:1", "http://localhost", "file://", "chrome-extension://abc");
        return Valid("foreign Origin") with { Headers = [("Origin", origin)] };
    }

    /// <summary>Well-formed JSON that is not the object the endpoint takes.</summary>
    private HostileRequest NotADefinition()
    {
        var body = Pick("[]", "null", "1", "\"job\"", "true", "{}", """{ "id": null }""", """{ "Id": "hostile-0" }""", """{ "run": "noop" }""",
            $$"""{ "id": "{{PoolId()}}", "run": { "handler": { "name": "noop" } }, "id": "{{PoolId()}}" }""",
            $$"""{ "id": "{{PoolId()}}", "run": { "handler": { "name": "noop" } }, "colour": "blue" }""",
            $$"""{ "id": ["{{PoolId()}}"], "run": { "handler": { "name": "noop" } } }""");
        return new("not a definition", Chance(2) ? HttpMethod.Post : HttpMethod.Put, Chance(2) ? Jobs : $"{Jobs}/{PoolId()}", Utf8(body));
    }

    /// <summary>A definition the API would accept if it came from a legitimate client: sent as POST or PUT.</summary>
    private HostileRequest Valid(string what)
    {
        var id = PoolId();
        return Chance(2)
            ? new(what, HttpMethod.Post, Jobs, Utf8(Api.Job(id)))
            : new(what, HttpMethod.Put, $"{Jobs}/{id}", Utf8(Api.Job(id)));
    }

    /// <summary>A definition of a pool id with <paramref name="member"/> (or, with <paramref name="withId"/>, its own id and run).</summary>
    private HostileRequest Define(string what, string member, bool withId = false)
    {
        var id = PoolId();
        var body = withId && member.Contains("\"id\"") ? $"{{ {member} }}" : Api.Job(id, member);
        return Chance(3) ? new(what, HttpMethod.Put, $"{Jobs}/{id}", Utf8(body.Replace($"\"id\": \"{id}\", ", ""))) : new(what, HttpMethod.Post, Jobs, Utf8(body));
    }

    private string WithControlCharacter(string text)
    {
        var at = _random.Next(text.Length + 1);
        return text[..at] + Pick(ControlCharacters) + text[at..];
    }

    /// <summary>A unit count that makes any period too long or negative.</summary>
    private string Huge() => Pick(
        long.MaxValue.ToString(), long.MinValue.ToString(), (long.MaxValue - _random.Next()).ToString(), (-_random.NextInt64(1, long.MaxValue)).ToString(),
        _random.NextInt64(1_000_000_000_000_000, long.MaxValue).ToString(), "9223372036854775808", "1e30", "-1");

    private string HugeDuration() => Pick(
        $"P{_random.NextInt64(100_000_000, long.MaxValue)}D", $"PT{_random.NextInt64(1_000_000_000_000, long.MaxValue)}S",
        "P10675199DT2H48M5.4775808S", $"P{new string('9', _random.Next(20, 40))}W", $"PT{new string('9', _random.Next(30, 60))}.5S", "-P1D", "P1Y", "P1M");

    private string HugeTime() => Pick(
        "10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+00:01",
        "9999-12-31T24:00:00Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "99999-01-01T00:00:00Z", "2026-12-01T00:00:00+99:00");

    private string PoolId() => Pick(PoolIds.ToArray());

    private bool Chance(int oneIn) => _random.Next(oneIn) == 0;

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
