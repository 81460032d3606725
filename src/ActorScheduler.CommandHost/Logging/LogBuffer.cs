using System.Threading.Channels;
using Akka.Dispatch;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.CommandHost.Logging;

/// <summary>One log line as the log palette shows it.</summary>
public sealed record LogLine(DateTimeOffset At, string Level, string Source, string Message);

/// <summary>
/// The node's recent log in memory (a ring of <c>actor-scheduler.cmd.log-buffer-size</c> lines, filled by
/// <see cref="LogBufferLogger"/>) and the live tails reading it. A tail that cannot keep up loses its oldest
/// unread lines and is told how many.
/// </summary>
public sealed class LogBuffer : IExtension
{
    /// <summary>Lines a tail may fall behind before its oldest unread ones are dropped.</summary>
    public const int TailBacklog = 1000;

    private readonly object _gate = new();
    private readonly LinkedList<LogLine> _lines = new();
    private readonly List<Tail> _tails = [];
    private int _capacity;

    public LogBuffer(int capacity) => _capacity = capacity;

    public static LogBuffer Get(ActorSystem system) => system.WithExtension<LogBuffer, LogBufferProvider>();

    public int Capacity
    {
        get { lock (_gate) return _capacity; }
        set
        {
            lock (_gate)
            {
                _capacity = Math.Max(1, value);
                while (_lines.Count > _capacity)
                    _lines.RemoveFirst();
            }
        }
    }

    public void Add(LogLine line)
    {
        lock (_gate)
        {
            _lines.AddLast(line);
            if (_lines.Count > _capacity)
                _lines.RemoveFirst();
            foreach (var tail in _tails)
                tail.Offer(line);
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<LogLine> Peek(int count)
    {
        lock (_gate)
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
    }

    /// <summary>Lines from now on, until the tail is disposed.</summary>
    public Tail Follow()
    {
        var tail = new Tail(this);
        lock (_gate)
            _tails.Add(tail);
        return tail;
    }

    private void Remove(Tail tail)
    {
        lock (_gate)
            _tails.Remove(tail);
    }

    public sealed class Tail : IDisposable
    {
        private readonly LogBuffer _buffer;
        private readonly Channel<LogLine> _channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(TailBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        private long _dropped;

        internal Tail(LogBuffer buffer) => _buffer = buffer;

        /// <summary>Called under the buffer's lock: one writer, so a full backlog is seen before the write drops a line.</summary>
        internal void Offer(LogLine line)
        {
            if (_channel.Reader.Count >= TailBacklog)
                Interlocked.Increment(ref _dropped);
            _channel.Writer.TryWrite(line);
        }

        /// <summary>The next line, and how many were dropped since the last read because the reader fell behind.</summary>
        public async Task<(LogLine Line, long Dropped)> ReadAsync(CancellationToken cancel)
        {
            var line = await _channel.Reader.ReadAsync(cancel);
            return (line, Interlocked.Exchange(ref _dropped, 0));
        }

        public void Dispose() => _buffer.Remove(this);
    }
}

public sealed class LogBufferProvider : ExtensionIdProvider<LogBuffer>
{
    /// <summary>The capacity until the host applies its settings (the logger starts with the actor system).</summary>
    public const int DefaultCapacity = 2000;

    public override LogBuffer CreateExtension(ExtendedActorSystem system) => new(DefaultCapacity);
}

/// <summary>
/// An Akka logger (listed in <c>akka.loggers</c> beside the console's) that copies every log event the node's
/// log level lets through into its <see cref="LogBuffer"/>.
/// </summary>
public sealed class LogBufferLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public LogBufferLogger()
    {
        var buffer = LogBuffer.Get(Context.System);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => buffer.Add(new LogLine(new DateTimeOffset(e.Timestamp.ToUniversalTime(), TimeSpan.Zero), LevelName(e.LogLevel()),
            e.LogSource ?? "", e.Cause is null ? e.Message?.ToString() ?? "" : $"{e.Message} ({e.Cause.GetType().Name}: {e.Cause.Message})")));
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => "debug",
        LogLevel.InfoLevel => "info",
        LogLevel.WarningLevel => "warning",
        _ => "error",
    };
}
