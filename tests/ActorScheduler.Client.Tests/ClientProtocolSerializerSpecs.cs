using System.Text.Json;
using ActorScheduler.Client.Protocol;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Queues;
using ActorScheduler.Engine.ClientApi;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace ActorScheduler.Client.Tests;

/// <summary>Every message between client and cluster goes through our serializer and comes back as it went.</summary>
public sealed class ClientProtocolSerializerSpecs : IDisposable
{
    private static readonly JobId Job = JobId.Parse("nightly-billing");
    private static readonly RunId Run = new(Job, 7);
    private static readonly DateTimeOffset At = new(2026, 12, 1, 2, 30, 0, TimeSpan.Zero);
    private static readonly JsonElement Data = JsonDocument.Parse("""{ "customer": 1234, "tags": ["a", "b"] }""").RootElement;

    private static readonly JobDefinition Definition = CoreJson.Deserialize<JobDefinition>("""
        {
          "id": "nightly-billing",
          "schedule": { "cron": "0 30 2 * * *", "timeZone": "Europe/Amsterdam" },
          "run": { "shell": { "command": ["bash", "-c", "echo hi"], "env": { "A": "1" } } },
          "retry": { "maxAttempts": 3, "delay": "PT1S", "multiplier": 2.0, "maxDelay": "PT1M" },
          "timeout": "PT5M",
          "overlap": "bufferOne",
          "triggers": [ { "job": "extract", "on": "succeeded" }, { "event": "foo-event" } ],
          "tags": ["billing"],
          "data": { "customer": 1234 }
        }
        """);

    private static readonly RunView RunView = new(
        Run.ToString(), Job.Value, 2, RunStatus.Failed, RunTrigger.Retry, At, At.AddSeconds(1), At.AddSeconds(3), "worker-1", 1,
        new ProgressView(5, 10), "some output", "exit code 1", 12, new RunId(Job, 6).ToString(), Data);

    private static readonly QueueItem QueueItem = new("0195f0c3a2b47c1d9e8f001122334455", "invoices", "pending", Data, At, At.AddMinutes(1), 3);

    private static readonly JobView JobView = new(Job.Value, JobStatus.Error, true, Definition, At.AddDays(1), RunView, 7, 2, null, 19);

    /// <summary>One fully populated example of each message type, by manifest.</summary>
    private static readonly IReadOnlyDictionary<string, IClientProtocolMessage> Examples = new IClientProtocolMessage[]
    {
        new DefineJobRequest(Definition, CreateOnly: true),
        new GetJobRequest(Job),
        new ListJobsRequest(JobStatus.Paused, "worker-1", "billing", 50, "a-job"),
        new TriggerJobRequest(Job, Data, OverlapPolicy.BufferAll),
        new PauseJobRequest(Job, "maintenance"),
        new ResumeJobRequest(Job),
        new DropEditRequest(Job),
        new RescheduleJobRequest(Job, At),
        new CancelJobRequest(Job, "no longer needed"),
        new BackfillJobRequest(Job, At.AddHours(-1), At, OverlapPolicy.Allow),
        new BackfillAnswer(JobView, new BackfillQueued(5, At.AddHours(-1), At.AddMinutes(-56))),
        new GetRunsRequest(Job),
        new GetRunRequest(Run),
        new ListRunsRequest(Job, RunStatus.Failed, "worker-1", RunTrigger.Retry, At, At.AddDays(1), 50, $"{At.UtcTicks}.{Run}", WithOutput: false),
        new CancelRunRequest(Run, "too slow"),
        new PingRequest(),
        new JobAnswer(JobView, Run),
        new JobListAnswer([JobView, JobView with { Id = "other", LastRun = null }], "other"),
        new RunListAnswer([RunView, RunView with { RunId = new RunId(Job, 6).ToString(), Data = null, Progress = null }]),
        new RunAnswer(RunView),
        new RunPageAnswer([RunView, RunView with { Output = null }], $"{At.UtcTicks}.{Run}"),
        new PingAnswer("akka.tcp://actor-scheduler@127.0.0.1:4053"),
        new RequestRefused(RejectionKind.Conflict, "Job 'nightly-billing' already exists."),
        new RequestFailed("The job did not answer in time."),
        new RequestUnauthorized("This node requires the API token."),
        new WatchOutcomes(3, [Job, JobId.Parse("other")], [Run], TimeSpan.FromSeconds(30)),
        new OutcomesWatched(3),
        new RunSettled(new RunId(Job, 6), RunView),
        new RunUnknown(Run, "Run 'nightly-billing~7' does not exist."),
        new JobRunFinished(RunView),
        new AddQueueItemRequest("invoices", Data, "pending"),
        new GetQueueItemRequest("invoices", QueueItem.Id),
        new ListQueueItemsRequest("invoices", "pending", QueueSort.UpdatedAtDescending, 50, new QueueCursor(QueueSort.UpdatedAtDescending, At, QueueItem.Id).ToString()),
        new UpdateQueueItemRequest("invoices", QueueItem.Id, "running", Data, "pending", 3),
        new DeleteQueueItemRequest("invoices", QueueItem.Id),
        new ListQueuesRequest(),
        new QueueItemAnswer(QueueItem),
        new QueueItemPageAnswer([QueueItem, QueueItem with { Id = "0195f0c3a2b47c1d9e8f00112233abcd", Status = "done" }], "createdAt~1~abc"),
        new QueueItemDeleted("invoices", QueueItem.Id),
        new QueueListAnswer([new QueueSummary("invoices", new Dictionary<string, long> { ["done"] = 4, ["pending"] = 2 }, 6)]),
        new BoardRequest("nightly", """{"board":"nightly","jobs":[]}""", Prune: true, Apply: false),
        new ListBoardsRequest(),
        new BoardAnswer("nightly", new ActorScheduler.Core.Boards.BoardChanges(["a"], ["b"], ["c"], ["d"], [])),
        new BoardListAnswer([new BoardSummaryView("nightly", 3, new Dictionary<string, long> { ["waiting"] = 2, ["canceled"] = 1 })]),
    }.ToDictionary(message => ClientProtocolSerializer.Manifests[message.GetType()]);

    private readonly ActorSystem _system = ActorSystem.Create("serialization-specs",
        ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(ClientService.Hocon));

    public static TheoryData<string> Manifests => new(ClientProtocolSerializer.Manifests.Values);

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Should_round_trip_each_message_through_the_client_serializer(string manifest)
    {
        var message = Examples[manifest];
        var serializer = _system.Serialization.FindSerializerFor(message);

        var bytes = serializer.ToBinary(message);
        var back = _system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));

        Assert.Equal(ClientProtocolSerializer.Id, serializer.Identifier);
        Assert.IsType(message.GetType(), back);
        Assert.Equal(Json(message), Json(back));
    }

    [Fact]
    public void Should_have_an_example_and_a_distinct_manifest_for_every_protocol_type()
    {
        var protocolTypes = typeof(IClientProtocolMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IClientProtocolMessage).IsAssignableFrom(t));

        Assert.Equal(protocolTypes.OrderBy(t => t.Name), ClientProtocolSerializer.Manifests.Keys.OrderBy(t => t.Name));
        Assert.Equal(ClientProtocolSerializer.Manifests.Count, ClientProtocolSerializer.Manifests.Values.Distinct().Count());
        Assert.Equal(ClientProtocolSerializer.Manifests.Values.Order(), Examples.Keys.Order());
    }

    [Fact]
    public void Should_keep_a_trigger_without_data_without_data()
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(new TriggerJobRequest(Job, null));

        var back = (TriggerJobRequest)serializer.FromBinary(serializer.ToBinary(new TriggerJobRequest(Job, null)), "trigger-job.v1");

        Assert.Null(back.Data);
        Assert.Null(back.Overlap);
    }

    [Fact]
    public void Should_read_a_trigger_written_before_triggers_named_an_overlap_as_one_under_the_job_s_policy()
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(new TriggerJobRequest(Job, null));

        var back = (TriggerJobRequest)serializer.FromBinary("{\"jobId\":\"nightly-billing\",\"data\":null}"u8.ToArray(), "trigger-job.v1");

        Assert.Null(back.Overlap);
    }

    [Fact]
    public void Should_read_a_message_carrying_a_field_this_version_does_not_know()
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(new PingRequest());
        var fromNewerPeer = """{ "jobId": "nightly-billing", "priority": "high" }"""u8.ToArray();

        var back = serializer.FromBinary(fromNewerPeer, "get-job.v1");

        Assert.Equal(new GetJobRequest(Job), back);
    }

    private static string Json(object message) => JsonSerializer.Serialize(message, message.GetType(), CoreJson.Options);

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
