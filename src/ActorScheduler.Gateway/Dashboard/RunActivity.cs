using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Dashboard;

/// <summary>
/// Runs per minute, failures and skipped occurrences over the last hour, for the overview's charts: an
/// <see cref="ActivityWindow"/> fed by the live stream of every job's events. It starts on first use, at most
/// <see cref="ReplayEvents"/> events back (so a restarted gateway shows the recent past, not a blank hour, and
/// reading never takes long), and keeps following the journal until disposed.
/// </summary>
internal sealed class RunActivity(JobService jobs, TimeProvider clock, ILogger logger) : IDisposable
{
    public const int WindowMinutes = 60;

    /// <summary>How far back in the journal the window is filled from when it starts.</summary>
    public const long ReplayEvents = 100_000;

    private readonly ActivityWindow _window = new(WindowMinutes);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _reading;
    private long _position;

    /// <summary>Each minute of the last hour, oldest first, and the journal position counted up to.</summary>
    public (IReadOnlyList<ActivityMinute> Minutes, long Position) Snapshot()
    {
        lock (_gate)
        {
            _reading ??= Task.Run(() => Follow(_stop.Token));
            return (_window.Snapshot(clock.GetUtcNow()), _position);
        }
    }

    private async Task Follow(CancellationToken cancel)
    {
        try
        {
            var latest = await Task.Run(jobs.LatestPosition, cancel);
            var start = Math.Max(0, latest - ReplayEvents);
            if (start > 0)
                logger.LogInformation("Dashboard activity: reading the last {Count} of {Total} journal events, not all of them", ReplayEvents, latest);
            await foreach (var streamed in jobs.Events.All(start, cancel))
            {
                if (streamed is null)
                    continue;
                lock (_gate)
                {
                    if (streamed.Event is { } e)
                        _window.Record(e, clock.GetUtcNow());
                    _position = streamed.Position;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Dashboard activity stopped following the journal; the overview's charts stay as they were");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
