using ActorScheduler.Engine;
using ActorScheduler.Engine.Backup;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Hot backups: <c>GET /api/v1/export</c> (and the same as <c>POST /api/v1/backup</c>) streams a consistent copy of
/// the database as a SQLite file while jobs keep firing (docs/OPERATIONS.md, "Backup and restore"); and, through
/// <see cref="ExportEndpoints"/>, the export and import of job definitions.
/// </summary>
/// <remarks>
/// The database comes from the host: it registers a <see cref="DatabaseExports"/> in the gateway's services (the
/// node does). A gateway without one answers 501. One export runs at a time per gateway; another is refused with
/// 429 (and logged in the node's log).
/// </remarks>
internal sealed class BackupEndpoints(DatabaseExports? exports)
{
    public const int RetryAfterSeconds = 10;

    public static void Map(IEndpointRouteBuilder api, JobService jobs, IServiceProvider services)
    {
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var endpoints = new BackupEndpoints(services.GetService<DatabaseExports>());
        foreach (var route in new[] { api.MapGet("/export", endpoints.Export).WithName("ExportDatabase"), api.MapPost("/backup", endpoints.Export).WithName("BackupDatabase") })
            route.WithTags("backup").Produces(StatusCodes.Status200OK, contentType: BackupFile.ContentType)
                .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status501NotImplemented);
        ExportEndpoints.Map(api.MapGroup("").WithTags("jobs"), jobs, loggers.CreateLogger("ActorScheduler.Gateway.Import"));
    }

    /// <summary>
    /// Writes the copy into a private temporary file, then streams it; the file is deleted once sent (or when the
    /// client goes away). <c>Content-Disposition</c> names it <c>actorscheduler-&lt;UTC time&gt;.db</c>.
    /// </summary>
    private async Task<IResult> Export(HttpContext http, CancellationToken cancel)
    {
        if (exports is null)
            return ApiResults.Problem(StatusCodes.Status501NotImplemented,
                "This gateway was started without a database to back up (its host registers none); take the backup through a node's gateway.");
        if (exports.TryBegin() is not { } lease) // the refusal is in the node's log
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests", type: "https://www.rfc-editor.org/rfc/rfc6585#section-4",
                detail: "An export is already running on this gateway, and one runs at a time; try again when it has finished.");
        }
        http.Response.RegisterForDispose(lease); // if the answer fails before the file is sent: the export ends with the request
        await lease.WriteAsync(cancel);
        return Results.File(lease.OpenRead(), BackupFile.ContentType, lease.FileName);
    }
}
