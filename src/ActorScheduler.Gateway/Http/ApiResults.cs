using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
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

    /// <summary>Seconds a client is asked to wait (Retry-After) when the database is unavailable: the node probes it every second.</summary>
    public const int StorageRetryAfterSeconds = 5;

    /// <summary>
    /// 503 for a database that cannot be used now, with Retry-After. Nothing the request asked for was stored, or (a
    /// connection lost during a commit) it is unknown: a client retries, and a repeated create then answers 409 if
    /// the first one was stored after all. <c>reason</c> repeats the cause for programs.
    /// </summary>
    public static IResult StorageUnavailable(string reason) => new WithHeader("Retry-After", StorageRetryAfterSeconds.ToString(),
        Problem(StatusCodes.Status503ServiceUnavailable,
            $"The database is unavailable ({reason}). The request was not carried out (or, had the database gone away during its " +
            "commit, perhaps it was): retry it in a few seconds.",
            new Dictionary<string, object?> { ["reason"] = reason }));

    private sealed class WithHeader(string name, string value, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers[name] = value;
            return inner.ExecuteAsync(http);
        }
    }

    public static IResult BadInput(IReadOnlyList<ValidationError> errors) =>
        Problem(StatusCodes.Status400BadRequest, string.Join(" ", errors), new Dictionary<string, object?>
        {
            // Machine-readable twin of the detail, for clients that highlight the fields of a form.
            ["errors"] = errors.Select(e => new Dictionary<string, string> { ["field"] = e.Field, ["message"] = e.Message }).ToList(),
        });

    /// <summary>The engine's answer: <paramref name="ok"/> with the answer the call expects, else its refusal as a problem.</summary>
    public static IResult From<T>(JobReply reply, Func<T, IResult> ok) where T : JobReply => reply switch
    {
        T expected => ok(expected),
        JobRefused { Kind: RejectionKind.NotFound } refused => Problem(StatusCodes.Status404NotFound, refused.Message),
        JobRefused { Kind: RejectionKind.Invalid } refused => Problem(StatusCodes.Status400BadRequest, refused.Message),
        // The job's stored events do not decode (a newer version wrote them, or the rows are damaged): a fault of the
        // server, not of the request; the message names the job and what to do.
        JobRefused { Kind: RejectionKind.Unreadable } refused => Problem(StatusCodes.Status500InternalServerError, refused.Message),
        JobRefused refused => Problem(StatusCodes.Status409Conflict, refused.Message),
        _ => throw new InvalidOperationException($"The engine answered {reply.GetType().Name} where {typeof(T).Name} was expected."),
    };

    /// <summary>A job's view: the answer to a command (<see cref="JobAccepted"/>) or to a read (<see cref="JobFound"/>).</summary>
    public static IResult View(JobReply reply) => reply is JobFound found ? Json(found.View) : From<JobAccepted>(reply, accepted => Json(accepted.View));
}
