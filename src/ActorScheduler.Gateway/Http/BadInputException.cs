using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Input the gateway refuses before the engine is asked: becomes a 400 problem whose detail names each
/// offending field. Thrown by the parsing helpers so that handlers read as the happy path.
/// </summary>
public sealed class BadInputException(IReadOnlyList<ValidationError> errors) : Exception(string.Join(" ", errors))
{
    public BadInputException(string field, string message) : this([new ValidationError(field, message)]) { }

    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
