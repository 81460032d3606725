using System.Text;
using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Deploys;
using ActorScheduler.Engine.Deploys;
using ActorScheduler.Gateway.Deploys;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Deployed scripts (docs/API.md, "Deployed scripts"): <c>POST /api/v1/scripts/deploy</c> deploys a commit of the
/// gateway's repository (what its post-receive hook asks after a push) or uploaded files (without git); and
/// <c>/git/{**path}</c>, git's smart HTTP to the repository (<see cref="GitHttpBackend"/>). Mapped only when the host
/// registered <see cref="GatewayDeploys"/>.
/// </summary>
internal sealed class DeployEndpoints(GatewayDeploys deploys, ILogger log)
{
    /// <summary><c>{ "commit", "ref" }</c> (a commit of the gateway's repository) or <c>{ "files": [ { "path", "content" (base64), "executable" } ] }</c>.</summary>
    public sealed record DeployRequest(string? Commit, string? Ref, IReadOnlyList<DeployUpload?>? Files);

    public static void Map(IEndpointRouteBuilder routes, IEndpointRouteBuilder api, string? token)
    {
        if (routes.ServiceProvider.GetService<GatewayDeploys>() is not { } deploys)
            return;
        var log = routes.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ActorScheduler.Gateway.Deploys");
        var endpoints = new DeployEndpoints(deploys, log);
        api.MapPost("/scripts/deploy", endpoints.Deploy).WithName("DeployScripts")
            .WithSummary("Deploys a commit of the gateway's scripts repository, or uploaded files: each executable file becomes or updates a job (new ones disabled), the board file is applied")
            .Accepts<DeployRequest>("application/json").Produces<DeployReport>().Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        if (deploys.GitProblem is { } problem)
        {
            log.LogWarning("{Problem}", problem);
            return;
        }
        var backend = new GitHttpBackend(deploys.Deployer.Settings, token, log);
        routes.MapMethods("/git/{**path}", [HttpMethods.Get, HttpMethods.Post], (HttpContext http, string? path) => backend.Serve(http, path))
            .ExcludeFromDescription();
    }

    private async Task<IResult> Deploy(HttpRequest request, CancellationToken cancel)
    {
        var body = await Read(request, cancel);
        var (files, source) = body switch
        {
            { Commit: { } commit, Files: null } => await FromCommit(commit, body.Ref, cancel),
            { Commit: null, Files: { } uploaded } => (Uploaded(uploaded), $"an upload of {uploaded.Count} files"),
            _ => throw new BadInputException("body", "give either \"commit\" (of the gateway's repository) or \"files\", not both or neither."),
        };
        var report = files is null ? DeployReport.Failed(ScriptJobs.DefaultBoard, source, [], [], [$"{body.Ref ?? body.Commit} is not deployed: {source}"])
            : await deploys.Deployer.DeployFiles(files, source, cancel);
        log.LogInformation("Deployed {Source}: {Lines}", report.Source, string.Join(" | ", report.Lines().Skip(1).Select(l => l.Trim())));
        if (request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/plain")))
            return Results.Text(string.Join("\n", report.Lines()) + "\n", "text/plain", Encoding.UTF8);
        return report.Applied ? ApiResults.Json(report)
            : ApiResults.Problem(StatusCodes.Status400BadRequest, string.Join(" ", report.Errors), new Dictionary<string, object?> { ["report"] = report });
    }

    /// <returns>The commit's files, or null with why it is not deployed (as the source).</returns>
    private async Task<(IReadOnlyList<DeployFile>?, string)> FromCommit(string commit, string? reference, CancellationToken cancel)
    {
        var branches = deploys.Deployer.Settings.Branches;
        if (reference is not null && !branches.Any(branch => reference == $"refs/heads/{branch}"))
            return (null, $"only pushes to {string.Join(", ", branches)} deploy ({DeploySettings.Path}.branches); it is stored");
        if (commit.All(c => c == '0'))
            return (null, "the branch was deleted");
        var (files, error) = await deploys.Repository.ReadCommitAsync(commit, cancel);
        return files is null ? throw new BadInputException("commit", error!) : (files, $"commit {commit[..Math.Min(12, commit.Length)]}");
    }

    private static IReadOnlyList<DeployFile> Uploaded(IReadOnlyList<DeployUpload?> uploads) => DeployInputs.Decode(uploads) switch
    {
        (_, { } problem) => throw new BadInputException(problem.Field, problem.Message),
        var (files, _) => files!,
    };

    private async Task<DeployRequest> Read(HttpRequest request, CancellationToken cancel)
    {
        var limit = deploys.Deployer.Settings.MaxPushBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancel);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            log.LogWarning("A deployment larger than {Limit} bytes was refused (413)", limit);
            throw;
        }
        if (BodyText.Problem(buffer.ToArray()) is { } problem)
            throw new BadInputException([problem]);
        try
        {
            return JsonSerializer.Deserialize<DeployRequest>(buffer.ToArray(), CoreJson.Options)
                   ?? throw new BadInputException("body", "is required: { \"commit\" } or { \"files\": [ … ] }.");
        }
        catch (JsonException e)
        {
            throw new BadInputException([JsonInputErrors.Describe(e)]);
        }
    }
}
