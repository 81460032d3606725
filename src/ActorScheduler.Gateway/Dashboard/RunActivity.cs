using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Dashboard;

/// <summary>
/// Runs per minute, failures and skipped occurrences over the last hour, for the overview's charts: an
/// <see cref="ActivityWindow"/> fed by the live stream of every job's events. It starts on first use, at most
/// <see cref="ReplayEvents"/> events back (so a restarted gateway shows the recent past, not a blank hour, and
/// reading never takes long), and keeps following the journal until disposed; a reader that fails (the database
/// away) starts again after <see cref="RetryAfter"/>, from where it was.
/// </summary>
internal sealed class RunActivity(JobService jobs, TimeProvider clock, ILogger logger) : IDisposable
{
    public const int WindowMinutes = 60;

    /// <summary>How far back in the journal the window is filled from when it starts.</summary>
    public const long ReplayEvents = 100_000;

    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly ActivityWindow _window = new(WindowMinutes);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _reading;
    private long _position = -1; // -1: not started reading yet
    private long _latestAtStart;
    private bool _disposed;

    /// <summary>
    /// Each minute of the last hour, oldest first, and the journal position counted up to. Until the reader has caught
    /// up with the journal as it was when it started, the position is that journal end: a live reader continuing from
    /// it sees only what is new, never the whole journal.
    /// </summary>
    public (IReadOnlyList<ActivityMinute> Minutes, long Position) Snapshot()
    {
        lock (_gate)
        {
            if (!_disposed)
                _reading ??= Task.Run(() => Follow(_stop.Token));
        }
        var latest = _position < _latestAtStart || _position < 0 ? jobs.LatestPosition() : 0;
        lock (_gate)
            return (_window.Snapshot(clock.GetUtcNow()), Math.Max(_position, latest));
    }

    private async Task Follow(CancellationToken cancel)
    {
        var after = -1L;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                if (after < 0)
                {
                    var latest = await Task.Run(jobs.LatestPosition, cancel);
                    _latestAtStart = latest;
                    after = Math.Max(0, latest - ReplayEvents);
                    if (after > 0)
                        logger.LogInformation("Dashboard activity: reading the last {Count} of {Total} journal events, not all of them", ReplayEvents, latest);
                }
                await foreach (var streamed in jobs.Events.All(after, cancel))
                {
                    if (streamed is null)
                        continue;
                    lock (_gate)
                    {
                        if (streamed.Event is { } e)
                            _window.Record(e, clock.GetUtcNow());
                        _position = after = streamed.Position;
                    }
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Dashboard activity: reading the journal failed; trying again in {Delay}", RetryAfter);
            }
            try
            {
                await Task.Delay(RetryAfter, clock, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        _stop.Cancel();
        _stop.Dispose();
    }
}
