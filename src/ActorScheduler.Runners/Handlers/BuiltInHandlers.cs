using System.Text.Json;

namespace ActorScheduler.Runners.Handlers;

/// <summary><c>noop</c>: succeeds at once. For trying out schedules and triggers without side effects.</summary>
public sealed class NoopHandler : IJobHandler
{
    public string Name => "noop";

    public Task<HandlerOutcome> RunAsync(HandlerContext context, CancellationToken cancel) =>
        Task.FromResult(HandlerOutcome.Success());
}

/// <summary><c>echo</c>: succeeds with <c>{"arguments":[...],"data":...}</c> as output, to show what a run received.</summary>
public sealed class EchoHandler : IJobHandler
{
    public string Name => "echo";

    public Task<HandlerOutcome> RunAsync(HandlerContext context, CancellationToken cancel)
    {
        var echoed = new { arguments = context.Arguments, data = context.Data };
        return Task.FromResult(HandlerOutcome.Success(JsonSerializer.Serialize(echoed)));
    }
}
