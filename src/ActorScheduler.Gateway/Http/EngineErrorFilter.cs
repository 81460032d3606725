using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Maps what a handler throws to the contract's answers: refused input is 400, an engine that does not answer
/// in time 503 (the request may be retried), a database that cannot be used (down, unreachable, full, read-only:
/// <see cref="StorageFailures"/>) 503 with Retry-After, Kestrel's own refusals (e.g. a body too large) keep their
/// status. Anything else is a bug in the gateway or engine: a logged 500 with a problem document.
/// </summary>
internal sealed class EngineErrorFilter(TimeSpan askTimeout, StorageHealth? storage) : IEndpointFilter
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
        catch (Exception error) when (StorageFailures.Unavailability(error) is { } cause)
        {
            storage?.Failed(cause);
            return ApiResults.StorageUnavailable(StorageFailures.Describe(cause));
        }
        catch (AskTimeoutException)
        {
            return Unavailable();
        }
        catch (OperationCanceledException) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Unavailable();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A bug or an engine failure (e.g. the database refused a write): logged with its cause, answered as a
            // problem document that says where to look rather than an empty 500.
            context.HttpContext.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("ActorScheduler.Gateway")
                .LogError(error, "{Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return ApiResults.Problem(StatusCodes.Status500InternalServerError,
                $"The request failed inside the scheduler ({error.GetType().Name}); the node's log has the details.");
        }
    }

    private IResult Unavailable() => storage?.Current is { } outage
        ? ApiResults.StorageUnavailable(outage.Reason)
        : ApiResults.Problem(StatusCodes.Status503ServiceUnavailable,
            $"The scheduler did not answer within {askTimeout.TotalSeconds:0.#} seconds; try again shortly.");
}
