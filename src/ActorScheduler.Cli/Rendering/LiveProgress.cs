using System.Threading.Channels;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// Progress on a terminal: Spectre's live progress display with a bar per key, redrawn as frames arrive. Anything
/// else the request prints meanwhile (the run's output lines under <c>jobs tail</c>) goes through the same display,
/// which writes it above the bars; so every console write happens on the display's own loop, in arrival order.
/// </summary>
internal sealed class LiveProgress
{
    private const int LabelWidth = 24;

    private readonly Channel<Action<ProgressContext>> _steps = Channel.CreateUnbounded<Action<ProgressContext>>(new() { SingleReader = true });
    private readonly Dictionary<string, ProgressTask> _bars = [];
    private readonly IAnsiConsole _console;
    private readonly Task _display;

    public LiveProgress(IAnsiConsole console)
    {
        _console = console;
        _display = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = 20 },
                new UpdateColumn(u => u.Count),
                new UpdateColumn(u => u.Percent),
                new UpdateColumn(u => u.State, Justify.Left))
            .StartAsync(async context =>
            {
                await foreach (var step in _steps.Reader.ReadAllAsync())
                {
                    step(context);
                    context.Refresh();
                }
            });
    }

    public void Update(ProgressUpdate update) => _steps.Writer.TryWrite(context => Apply(context, update));

    /// <summary>
    /// Writes a line above the bars. Spectre's live display miscounts the rows of a renderable that spans several
    /// (it redraws the bars over the last of them), so each row goes in a write of its own, cut short of the last
    /// column so that the terminal never wraps it either.
    /// </summary>
    public void Print(string line) => _steps.Writer.TryWrite(_ =>
    {
        var room = Math.Max(20, _console.Profile.Width - 1);
        for (var start = 0; start == 0 || start < line.Length; start += room)
            _console.Write(new Text(line.Substring(start, Math.Min(room, line.Length - start)) + "\n"));
    });

    /// <summary>Leaves the bars as they last were and gives the console back.</summary>
    public Task CompleteAsync()
    {
        _steps.Writer.TryComplete();
        return _display;
    }

    private void Apply(ProgressContext context, ProgressUpdate update)
    {
        if (!_bars.TryGetValue(update.Key, out var bar))
        {
            bar = context.AddTask(Shorten(update.Label), autoStart: true, maxValue: 100);
            _bars[update.Key] = bar;
        }
        bar.Tag = update;
        bar.Description = Shorten(update.Label);
        if (update.Total is > 0 and var total)
        {
            bar.IsIndeterminate = false;
            bar.MaxValue = total;
            bar.Value = Math.Min(update.Done, total);
        }
        else
        {
            bar.IsIndeterminate = update.IsRunning;
        }
        if (!update.IsRunning && bar.StopTime is null)
            bar.StopTask();
    }

    /// <summary>Short enough for an 80-column terminal, and escaped: the description column reads markup.</summary>
    private static string Shorten(string label) => Markup.Escape(label.Length <= LabelWidth ? label : label[..(LabelWidth - 1)] + "…");

    /// <summary>A column that shows one figure of the bar's latest update (count, percentage, state).</summary>
    private sealed class UpdateColumn(Func<ProgressUpdate, string> figure, Justify alignment = Justify.Right) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.Tag is ProgressUpdate update
                ? new Text(figure(update)) { Justification = alignment }
                : Text.Empty;
    }
}
