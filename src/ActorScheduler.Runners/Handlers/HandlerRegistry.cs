using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ActorScheduler.Runners.Handlers;

/// <summary>The handlers a worker offers, by name. Filled at start-up; read concurrently by runs.</summary>
public sealed class HandlerRegistry
{
    private readonly ConcurrentDictionary<string, IJobHandler> handlers = new(StringComparer.Ordinal);

    public HandlerRegistry(IEnumerable<IJobHandler>? handlers = null)
    {
        foreach (var handler in handlers ?? []) Register(handler);
    }

    /// <summary>A registry holding the shipped handlers, <c>noop</c> and <c>echo</c>.</summary>
    public static HandlerRegistry WithBuiltIns() => new([new NoopHandler(), new EchoHandler()]);

    /// <summary>Sorted, for the start-up log and for error messages.</summary>
    public IReadOnlyList<string> Names => handlers.Keys.Order(StringComparer.Ordinal).ToList();

    /// <exception cref="ArgumentException">The name is blank or already taken.</exception>
    public HandlerRegistry Register(IJobHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (string.IsNullOrWhiteSpace(handler.Name))
            throw new ArgumentException($"Handler {handler.GetType().Name} has a blank name.", nameof(handler));
        if (!handlers.TryAdd(handler.Name, handler))
            throw new ArgumentException(
                $"A handler named '{handler.Name}' is already registered ({handlers[handler.Name].GetType().Name}); names must be unique.",
                nameof(handler));
        return this;
    }

    public bool TryGet(string name, [NotNullWhen(true)] out IJobHandler? handler) => handlers.TryGetValue(name, out handler);
}
