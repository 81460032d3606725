using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// <c>--json</c>: each output's data as one line of compact JSON (NDJSON) and nothing else, so that
/// <c>schedctl jobs list --json | jq</c> works; messages go to stderr.
/// </summary>
internal sealed class JsonLinesRenderer(TextWriter output) : IOutputRenderer
{
    public async Task RenderAsync(Output frame)
    {
        await output.WriteLineAsync(CellText.CompactJson(frame.Data));
        await output.FlushAsync();
    }

    public Task CompleteAsync() => Task.CompletedTask;
}
