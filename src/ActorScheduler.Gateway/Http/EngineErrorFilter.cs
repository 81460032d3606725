using Akka.Actor;
using Microsoft.AspNetCore.Http;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Maps what a handler throws to the contract's answers: refused input is 400, an engine that does not answer
/// in time 503 (the request may be retried), Kestrel's own refusals (e.g. a body too large) keep their status.
/// Anything else is a bug in the gateway or engine and stays a 500.
/// </summary>
internal sealed class EngineErrorFilter(TimeSpan askTimeout) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (BadInputException error)
        {
            return ApiResults.BadInput(error.Errors);
        }
        catch (BadHttpRequestException error)
        {
            return ApiResults.Problem(error.StatusCode, error.Message);
        }
        catch (AskTimeoutException)
        {
            return Unavailable();
        }
        catch (OperationCanceledException) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Unavailable();
        }
    }

    private IResult Unavailable() => ApiResults.Problem(StatusCodes.Status503ServiceUnavailable,
        $"The scheduler did not answer within {askTimeout.TotalSeconds:0.#} seconds; try again shortly.");
}
