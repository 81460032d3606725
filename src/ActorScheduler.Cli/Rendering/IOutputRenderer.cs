using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Rendering;

/// <summary>Shows one request's outputs as they arrive; <see cref="CompleteAsync"/> once its End has come.</summary>
internal interface IOutputRenderer
{
    Task RenderAsync(Output output);

    /// <summary>Finishes what is still on screen (live progress bars) before the end message is printed.</summary>
    Task CompleteAsync();
}
