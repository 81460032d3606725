using System.Text.Json;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Security;
using ActorScheduler.Gateway.Http;
using ActorScheduler.Runners.Scripts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>Marks an endpoint a run token may call (<see cref="BearerTokenFilter"/> lets it through; the endpoint checks it).</summary>
internal sealed class RunTokenAccepted
{
    public static readonly RunTokenAccepted Instance = new();
}

/// <summary>
/// The script API (docs/API.md, "Script API"): what a run's script sends beside its stderr protocol, under its run
/// token (<c>Authorization: Bearer $SCHEDULER_RUN_TOKEN</c>), for its own run only and only while the run runs —
/// <c>POST /api/v1/runs/{runId}/progress</c>, <c>/emit</c> and <c>/log</c>, each 204 once the run's worker took it.
/// </summary>
internal sealed class ScriptEndpoints(JobService jobs, RunTokens tokens)
{
    public sealed record ProgressBody(long? Current, long? Max);

    public sealed record EmitBody(string? Event, JsonElement? Data);

    public sealed record LogBody(IReadOnlyList<string>? Lines);

    /// <summary>Lines one call may log at most, and characters per line; the run's output keeps its last 64 KB anyway.</summary>
    public const int MaxLines = 1_000, MaxLineLength = 16_384;

    public static void Map(IEndpointRouteBuilder api, JobService jobs, RunTokens tokens)
    {
        var endpoints = new ScriptEndpoints(jobs, tokens);
        foreach (var (path, name, handler) in new (string, string, Delegate)[]
                 {
                     ("/runs/{runId}/progress", "ReportRunProgress", endpoints.Progress),
                     ("/runs/{runId}/emit", "EmitRunEvent", endpoints.Emit),
                     ("/runs/{runId}/log", "LogRunLines", endpoints.Log),
                 })
            api.MapPost(path, handler).WithName(name).WithMetadata(RunTokenAccepted.Instance)
                .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private Task<IResult> Progress(string runId, ProgressBody body, HttpRequest request, CancellationToken cancel)
    {
        if (body.Current is not { } current || current < 0)
            throw new BadInputException("current", "is required: how far the run has come (0 or more).");
        if (body.Max is < 0)
            throw new BadInputException("max", "must be 0 or more, or left out.");
        return Deliver(runId, request, new ScriptProgress(current, body.Max), cancel);
    }

    private Task<IResult> Emit(string runId, EmitBody body, HttpRequest request, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(body.Event) || body.Event.Any(char.IsControl))
            throw new BadInputException("event", "is required: the event's name (no control characters), as triggers name it.");
        return Deliver(runId, request, new ScriptEmit(body.Event, body.Data), cancel);
    }

    private Task<IResult> Log(string runId, LogBody body, HttpRequest request, CancellationToken cancel)
    {
        if (body.Lines is not { Count: > 0 } lines || lines.Count > MaxLines)
            throw new BadInputException("lines", $"must hold 1 to {MaxLines:N0} lines.");
        if (lines.Any(line => line is null || line.Length > MaxLineLength || line.Contains('\n')))
            throw new BadInputException("lines", $"each must be text of at most {MaxLineLength:N0} characters without a line break.");
        return Deliver(runId, request, new ScriptLog(lines), cancel);
    }

    private async Task<IResult> Deliver(string runId, HttpRequest request, ScriptMessage message, CancellationToken cancel)
    {
        var id = ApiInput.RunId(runId);
        if (Claims(request) is not { } claims)
            return ApiResults.Problem(StatusCodes.Status401Unauthorized,
                "The script API needs 'Authorization: Bearer <run token>': the SCHEDULER_RUN_TOKEN its run was given.");
        if (claims.RunId != id)
            return ApiResults.Problem(StatusCodes.Status403Forbidden, $"This run token is for run '{claims.RunId}', not '{id}'.");
        var (outcome, refusal) = await jobs.Scripts.Call(claims, message, cancel);
        return outcome switch
        {
            ScriptCallOutcome.Delivered => Results.NoContent(),
            ScriptCallOutcome.Refused => ApiResults.Problem(StatusCodes.Status403Forbidden, refusal!),
            _ => ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, refusal!),
        };
    }

    /// <summary>The run token the request carries, when this cluster signed it.</summary>
    public RunTokenClaims? Claims(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? tokens.Read(header["Bearer ".Length..].Trim()) : null;
    }
}
