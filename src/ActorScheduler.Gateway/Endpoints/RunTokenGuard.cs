using ActorScheduler.Engine;
using ActorScheduler.Engine.Security;
using ActorScheduler.Gateway.Http;
using ActorScheduler.Runners.Scripts;
using Microsoft.AspNetCore.Http;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Lets a run's script use the endpoints it guards (work queues) with its run token, only while its run runs: the
/// token must be this cluster's, and the run's worker must still be running that attempt. A request with the API token
/// (checked before this, by <see cref="BearerTokenFilter"/>) or none on an open loopback gateway passes as before.
/// Mark the endpoints with <see cref="RunTokenAccepted"/> too, so the API token's check lets a run token through to here.
/// </summary>
internal sealed class RunTokenGuard(JobService jobs, RunTokens tokens) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !RunTokens.LooksLike(header["Bearer ".Length..].Trim()))
            return await next(context);
        if (tokens.Read(header["Bearer ".Length..].Trim()) is not { } claims)
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, "This run token was not issued by this cluster (or the API token changed since).");
        var (outcome, refusal) = await jobs.Scripts.Call(claims, new ScriptProbe(), context.HttpContext.RequestAborted);
        return outcome switch
        {
            ScriptCallOutcome.Delivered => await next(context),
            ScriptCallOutcome.Refused => ApiResults.Problem(StatusCodes.Status403Forbidden, refusal!),
            _ => ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, refusal!),
        };
    }
}
