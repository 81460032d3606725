using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using Microsoft.AspNetCore.Http;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Every answer body goes through here: values in CoreJson, errors as RFC 9457 problems
/// (<c>application/problem+json</c> with type, title, status and a detail naming the field).
/// </summary>
internal static class ApiResults
{
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, CoreJson.Options, statusCode: status);

    public static IResult Problem(int status, string? detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, extensions: extensions);

    public static IResult BadInput(IReadOnlyList<ValidationError> errors) =>
        Problem(StatusCodes.Status400BadRequest, string.Join(" ", errors), new Dictionary<string, object?>
        {
            // Machine-readable twin of the detail, for clients that highlight the fields of a form.
            ["errors"] = errors.Select(e => new Dictionary<string, string> { ["field"] = e.Field, ["message"] = e.Message }).ToList(),
        });

    /// <summary>The engine's answer: <paramref name="ok"/> on success, else its refusal as a problem.</summary>
    public static IResult From(JobReply reply, Func<JobReply, IResult> ok) => reply.Refusal switch
    {
        null => ok(reply),
        RejectionKind.NotFound => Problem(StatusCodes.Status404NotFound, reply.Message ?? "Not found."),
        RejectionKind.Invalid => Problem(StatusCodes.Status400BadRequest, reply.Message ?? "Invalid request."),
        _ => Problem(StatusCodes.Status409Conflict, reply.Message ?? "Conflict."),
    };

    public static IResult View(JobReply reply) => From(reply, r => Json(r.View));
}
