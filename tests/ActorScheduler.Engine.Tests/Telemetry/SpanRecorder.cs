using System.Collections.Concurrent;
using System.Diagnostics;
using ActorScheduler.Engine.Telemetry;

namespace ActorScheduler.Engine.Tests.Telemetry;

/// <summary>Listens to the engine's activity source and keeps every span that ends, as an exporter would see them.</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The ended spans of one job, by name.</summary>
    public IReadOnlyList<Activity> Of(string job, string name) =>
        _ended.Where(span => span.OperationName == name && (string?)span.GetTagItem(EngineTracing.JobIdTag) == job).ToList();

    /// <summary>Polls until the job's spans named <paramref name="names"/> have all ended (one each at least).</summary>
    public async Task<IReadOnlyDictionary<string, Activity>> Await(string job, params string[] names)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var found = names.ToDictionary(name => name, name => Of(job, name).FirstOrDefault());
            if (found.Values.All(span => span is not null))
                return found!;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException(
            $"Timed out waiting for the spans {string.Join(", ", names)} of job {job}; ended: " +
            string.Join(", ", _ended.Select(s => $"{s.OperationName}/{s.GetTagItem(EngineTracing.JobIdTag)}")));
    }

    public void Dispose() => _listener.Dispose();
}
