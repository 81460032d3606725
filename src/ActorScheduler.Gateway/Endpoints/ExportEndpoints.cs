using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Cli.Documents;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Job definitions as one board document (<see cref="BoardDocument"/>), to move jobs between clusters:
/// <c>GET /api/v1/jobs/export</c> writes every job's definition, <c>POST /api/v1/jobs/import</c> creates or replaces
/// each job of a document. JSON, or YAML of the same structure (<c>Accept</c> / <c>Content-Type: application/yaml</c>).
/// </summary>
internal sealed class ExportEndpoints(JobService jobs, ILogger log)
{
    /// <summary>An import's body may be this large (the API's other bodies: <see cref="GatewayServer.MaxRequestBodyBytes"/>); export larger sets in parts (<c>?tag=</c>, <c>?status=</c>).</summary>
    public const long MaxImportBytes = 32L * 1024 * 1024;

    public const string DefaultBoard = "export";

    internal static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml"];

    public static void Map(IEndpointRouteBuilder api, JobService jobs, ILogger log)
    {
        var endpoints = new ExportEndpoints(jobs, log);
        api.MapGet("/jobs/export", endpoints.Export).WithName("ExportJobs")
            .Produces<BoardDocument>(StatusCodes.Status200OK, "application/json", YamlTypes[0]).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/jobs/import", endpoints.Import).WithName("ImportJobs")
            .Accepts<BoardDocument>("application/json", YamlTypes).Produces<ImportResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>
    /// Every job's definition, ordered by id, from the job index; canceled jobs only when <c>status</c> asks for them.
    /// <c>board</c> names the document (default <see cref="DefaultBoard"/>).
    /// </summary>
    private async Task<IResult> Export(string? status, string? tag, string? board, HttpRequest request, CancellationToken cancel)
    {
        var only = ApiInput.Enum<JobStatus>(status, "status");
        var name = ApiInput.Text(board, "board") ?? DefaultBoard;
        if (!JobId.IsValid(name))
            throw new BadInputException("board", $"'{name}' is not a board name: use {JobId.Rule}.");
        var filter = new JobListQuery(only, null, ApiInput.Text(tag, "tag"), JobService.MaxPageSize, null);
        var definitions = new List<JobDefinition>();
        do
        {
            var page = await jobs.List(filter, cancel);
            definitions.AddRange(page.Items.Where(view => only is not null || view.Status != JobStatus.Canceled).Select(view => view.Definition));
            filter = filter with { After = page.Next is { } next ? JobId.Parse(next) : null };
        }
        while (filter.After is not null);
        var document = new BoardDocument(name, null, definitions);
        return WantsYaml(request)
            ? Results.Text(Yaml(JsonSerializer.SerializeToNode(document, CoreJson.Options)), YamlTypes[0], Encoding.UTF8)
            : ApiResults.Json(document);
    }

    /// <summary>
    /// Checks the whole document first (every field of every job, duplicate ids, trigger cycles): one error and
    /// nothing is applied. Then creates or replaces each job; a job whose definition is already the same is left alone.
    /// </summary>
    private async Task<IResult> Import(HttpRequest request, CancellationToken cancel)
    {
        var root = ParseBody(await ReadBody(request, log, cancel), IsYaml(request.ContentType));
        var (document, errors) = BoardDocument.Read(root, JsonInputErrors.Describe);
        if (document is null)
            throw new BadInputException(errors);
        var import = new JobImport(jobs);
        if (await import.FindCycle(document.Jobs, cancel) is { } cycle)
            throw new BadInputException([cycle]);
        var (result, refused) = await import.Apply(document.Jobs, cancel);
        log.LogInformation("Imported board {Board}: {Created} created, {Updated} updated, {Unchanged} unchanged{Refused}", document.Board ?? "(unnamed)",
            result.Created.Count, result.Updated.Count, result.Unchanged.Count, refused is null ? "" : $"; stopped at {refused.JobId}: {refused.Refusal.Message}");
        return refused is null ? ApiResults.Json(result) : Stopped(refused);
    }

    /// <summary>The refusal as the job would answer a PUT, with what was applied before it (importing again is safe).</summary>
    private static IResult Stopped(ImportRefused refused)
    {
        return ApiResults.Problem(StatusOf(refused.Refusal.Kind),
            $"jobs[{refused.Index}] ('{refused.JobId}') was refused: {refused.Refusal.Message} The import stopped there; the jobs listed under " +
            "'applied' were applied before it, the others were not. Importing the document again is safe.",
            new Dictionary<string, object?> { ["applied"] = refused.Applied });
    }

    /// <summary>A job's refusal of its definition, as a PUT would answer it.</summary>
    internal static int StatusOf(RejectionKind kind) => kind switch
    {
        RejectionKind.Invalid => StatusCodes.Status400BadRequest,
        RejectionKind.Unreadable => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>A board document's body, up to <see cref="MaxImportBytes"/> (413 beyond, logged).</summary>
    internal static async Task<byte[]> ReadBody(HttpRequest request, ILogger log, CancellationToken cancel)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxImportBytes;
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancel);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            log.LogWarning("A board document (import or board apply) larger than {Limit} bytes was refused (413)", MaxImportBytes);
            throw;
        }
        return buffer.ToArray();
    }

    /// <summary>A board document's body as JSON (YAML converted); 400 naming what is wrong with it.</summary>
    internal static JsonNode? ParseBody(byte[] body, bool yaml)
    {
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            throw new BadInputException("body", "is required: send a board document { \"board\", \"defaults\", \"jobs\": [JobDefinition, …] }.");
        if (yaml)
        {
            try
            {
                body = Encoding.UTF8.GetBytes(YamlToJson.Convert(Encoding.UTF8.GetString(body)));
            }
            catch (YamlException e)
            {
                throw new BadInputException("body", $"is not valid YAML (line {e.Start.Line}): {YamlToJson.Describe(e)}");
            }
        }
        if (BodyText.Problem(body) is { } problem)
            throw new BadInputException([problem]);
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new BadInputException([JsonInputErrors.Describe(e)]);
        }
    }

    internal static bool IsYaml(string? contentType) =>
        contentType is not null && YamlTypes.Any(type => contentType.StartsWith(type, StringComparison.OrdinalIgnoreCase));

    private static bool WantsYaml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept => IsYaml(accept.MediaType.Value));

    /// <summary>
    /// JSON as YAML that reads back to the same JSON (by <see cref="YamlToJson"/> and by other YAML 1.1/1.2 readers): a
    /// string that a reader would take for a number, boolean or null is quoted; multi-line strings are literal blocks.
    /// </summary>
    private static string Yaml(JsonNode? root)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(YamlNodeOf(root))).Save(writer, assignAnchors: false);
        // YamlStream ends every document with an explicit end marker ("..."), which a single document does without.
        var text = writer.ToString().TrimEnd();
        return (text.EndsWith("\n...", StringComparison.Ordinal) ? text[..^4] : text).TrimEnd() + "\n";
    }

    private static YamlNode YamlNodeOf(JsonNode? node) => node switch
    {
        JsonObject map => new YamlMappingNode(map.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), YamlNodeOf(p.Value)))),
        JsonArray list => new YamlSequenceNode(list.Select(YamlNodeOf)),
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        _ when node.GetValueKind() == JsonValueKind.String => StringScalar(node.GetValue<string>()),
        _ => new YamlScalarNode(node.ToJsonString()) { Style = ScalarStyle.Plain }, // a number, true or false
    };

    private static YamlScalarNode StringScalar(string text) => new(text)
    {
        Style = LooksLikeAnotherType(text) ? ScalarStyle.DoubleQuoted : text.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any,
    };

    private static readonly HashSet<string> PlainWords = new(StringComparer.OrdinalIgnoreCase) { "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n" };

    /// <summary>Null and boolean words (YAML 1.1's too), and whatever starts like a number, date or .inf: quoting a string is always safe.</summary>
    private static bool LooksLikeAnotherType(string text) => PlainWords.Contains(text) || text[0] is (>= '0' and <= '9') or '+' or '-' or '.';
}
