using System.Collections.Concurrent;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Scripts;

/// <summary>What a run's script sends through the script API, beside its stderr protocol.</summary>
public abstract record ScriptMessage;

public sealed record ScriptProgress(long Current, long? Max) : ScriptMessage;

public sealed record ScriptEmit(string Event, JsonElement? Data) : ScriptMessage;

/// <summary>Lines for the run's output, as if it had printed them (each gets its line end).</summary>
public sealed record ScriptLog(IReadOnlyList<string> Lines) : ScriptMessage;

/// <summary>Asks only whether the run is still running (a run token's holder acting elsewhere, e.g. on a queue).</summary>
public sealed record ScriptProbe : ScriptMessage;

/// <summary>
/// The runs a worker is carrying out, each with the way into it for the script API: a message reaches the run's
/// observer as its stderr protocol would (progress, emitted events) or as its output, only while the run lives and only
/// under its fencing token. Thread-safe: runs come and go on the runners' threads, messages arrive on the worker's.
/// </summary>
/// <param name="full">Told (with the run) when a run gets no channel because <see cref="MaxLive"/> are open: the node logs it.</param>
public sealed class ScriptChannels(Action<RunId>? full = null)
{
    private readonly ConcurrentDictionary<RunId, Channel> _live = new();

    /// <summary>Runs open at most (a worker's slots bound them in practice); beyond it a run has no channel, and says so.</summary>
    public const int MaxLive = 10_000;

    /// <returns>Null when delivered; otherwise why not (the run is not running here, or under another fencing token).</returns>
    public string? Deliver(RunId runId, long fencingToken, ScriptMessage message)
    {
        if (!_live.TryGetValue(runId, out var channel) || channel.FencingToken != fencingToken)
            return $"Run '{runId}' is not running on this worker under that token: a run token works only while its run runs.";
        channel.Deliver(message);
        return null;
    }

    internal Channel? Open(RunRequest request, IRunObserver observer, int outputLimit)
    {
        if (_live.Count >= MaxLive)
        {
            full?.Invoke(request.RunId);
            return null;
        }
        var channel = new Channel(request.FencingToken, observer, outputLimit);
        _live[request.RunId] = channel;
        return channel;
    }

    internal void Close(RunId runId, Channel channel) => _live.TryRemove(KeyValuePair.Create(runId, channel));

    /// <summary>
    /// One run's way in, and the observer its runner reports to: every piece of output passes here, so that lines the
    /// script logs through the API interleave with what it prints, in one tail.
    /// </summary>
    internal sealed class Channel(long fencingToken, IRunObserver inner, int outputLimit) : IRunObserver
    {
        private readonly object _gate = new();
        private readonly OutputTail _tail = new(outputLimit);

        public long FencingToken => fencingToken;

        /// <summary>Whether the script logged through the API: then the run's output is this tail, with its lines in.</summary>
        public bool Logged { get; private set; }

        public string Tail
        {
            get
            {
                lock (_gate)
                    return _tail.ToString();
            }
        }

        public void Progress(long current, long? max)
        {
            lock (_gate)
                inner.Progress(current, max);
        }

        public void Emit(string eventName, JsonElement? data)
        {
            lock (_gate)
                inner.Emit(eventName, data);
        }

        public void Output(string line)
        {
            lock (_gate)
            {
                _tail.Append(line);
                inner.Output(line);
            }
        }

        public void Deliver(ScriptMessage message)
        {
            switch (message)
            {
                case ScriptProgress progress:
                    Progress(progress.Current, progress.Max);
                    break;
                case ScriptEmit emit:
                    Emit(emit.Event, emit.Data);
                    break;
                case ScriptLog log:
                    lock (_gate)
                    {
                        Logged = true;
                        foreach (var line in log.Lines)
                            Output(line + "\n");
                    }
                    break;
            }
        }
    }
}

/// <summary>
/// Opens each run's <see cref="ScriptChannels"/> entry around the runner it wraps. A run whose script logged through
/// the API gets the tail of everything it printed and logged, in the order it arrived, as its output.
/// </summary>
public sealed class ScriptChannelRunner(IRunner inner, ScriptChannels channels, int outputLimit) : IRunner
{
    public bool CanRun(RunSpec spec) => inner.CanRun(spec);

    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
    {
        if (channels.Open(request, observer, outputLimit) is not { } channel)
            return await inner.RunAsync(request, observer, cancel).ConfigureAwait(false);
        try
        {
            var result = await inner.RunAsync(request, channel, cancel).ConfigureAwait(false);
            return channel.Logged ? result with { Output = channel.Tail } : result;
        }
        finally
        {
            channels.Close(request.RunId, channel);
        }
    }
}
