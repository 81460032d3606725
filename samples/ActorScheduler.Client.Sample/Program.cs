// The embedded client in one page: connect to a running cluster without joining it, define a job, trigger it
// with some data, wait for the run's outcome and print it. The job runs the built-in "echo" handler, so its output
// shows what the run received.
//
//   dotnet run --project samples/ActorScheduler.Client.Sample -- [contact point ...]
//
// Contact points are cluster addresses of gateway or scheduler nodes; the default is the all-in-one node started
// with CLUSTER_PORT=4053 (see samples/README.md). Exit code: 0 run succeeded, 1 run did not, 2 no answer or refused.
using System.Text.Json;
using ActorScheduler.Client;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

const string DefaultContactPoint = "akka.tcp://actor-scheduler@127.0.0.1:4053";

if (args is ["-h" or "--help", ..])
{
    Console.WriteLine($"usage: ActorScheduler.Client.Sample [contact point ...]   (default {DefaultContactPoint})");
    return 0;
}

var contactPoints = args.Length > 0 ? args : [DefaultContactPoint];
var job = JobId.Parse("client-sample");
var definition = CoreJson.Deserialize<JobDefinition>($$"""
    {
      "id": "{{job}}",
      "run": { "handler": { "name": "echo", "arguments": ["sent by ActorScheduler.Client.Sample"] } },
      "tags": ["sample"]
    }
    """);

try
{
    Console.WriteLine($"Contacting {string.Join(", ", contactPoints)} ...");
    await using var client = await ActorSchedulerClient.ConnectAsync(new ActorSchedulerClientOptions { ContactPoints = contactPoints });
    Console.WriteLine($"Connected; served by {await client.PingAsync()}");

    // PUT rather than POST, so the sample can be run again: the second time it replaces its own job.
    var view = await client.ReplaceAsync(definition);
    Console.WriteLine($"Job '{view.Id}' defined (version {view.Version}, {view.Status})");

    var runId = await client.TriggerAsync(job, JsonDocument.Parse("""{ "greeting": "hello from the client" }""").RootElement);
    Console.WriteLine($"Triggered run {runId}; waiting for its outcome ...");

    var run = await client.WaitForRunAsync(runId, TimeSpan.FromMinutes(1));
    Console.WriteLine($"Run {run.RunId} {run.Status} on {run.Worker ?? "?"} (attempt {run.Attempt})");
    if (!string.IsNullOrEmpty(run.Output))
        Console.WriteLine($"output: {run.Output}");
    if (!string.IsNullOrEmpty(run.Error))
        Console.WriteLine($"error:  {run.Error}");
    return run.Status == RunStatus.Succeeded ? 0 : 1;
}
catch (Exception e) when (e is ActorSchedulerException or TimeoutException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
