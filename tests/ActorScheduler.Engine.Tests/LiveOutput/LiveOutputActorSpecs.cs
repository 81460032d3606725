using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using ActorScheduler.Runners;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests.LiveOutput;

/// <summary>
/// A worker's <c>/user/live-output</c>: it answers the output a run printed through the worker's runner while the
/// run goes on and after it ended, says so for a run it does not hold, and logs finished runs forgotten early.
/// </summary>
public sealed class LiveOutputActorSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    private static readonly JobId Job = JobId.Parse("report");
    private static readonly RunId Run = new(Job, 1);

    private static RunRequest Request(RunId run) =>
        new(Job, run, 1, 1, DateTimeOffset.UnixEpoch, new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } }, null, null);

    private static LiveOutputBuffer Buffer(int keepFinishedRuns = 64) =>
        new(new LiveOutputSettings(64 * 1024, TimeSpan.FromMinutes(2), keepFinishedRuns), TimeProvider.System);

    private LiveOutputChunk Ask(Akka.Actor.IActorRef actor, RunId run, long from)
    {
        actor.Tell(new GetLiveOutput(run, from), TestActor);
        return ExpectMsg<LiveOutputChunk>(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Should_answer_what_a_run_printed_while_it_runs_and_the_rest_after_it_ended()
    {
        var buffer = Buffer();
        var runner = new PrintingRunner();
        var actor = Sys.ActorOf(LiveOutputActor.Props(buffer, TimeSpan.FromMinutes(1)));

        // The runner prints its first line before it waits, so the line is in the buffer once RunAsync returns.
        var run = new LiveOutputRunner(runner, buffer).RunAsync(Request(Run), NullRunObserver.Instance, CancellationToken.None);
        var whileRunning = Ask(actor, Run, 0);
        runner.Release();
        await run.WaitAsync(TimeSpan.FromSeconds(60));
        var afterEnd = Ask(actor, Run, whileRunning.Next);

        Assert.Equal(new LiveOutputChunk(Run, true, "first\n", 6, true, 0, false), whileRunning);
        Assert.Equal(new LiveOutputChunk(Run, true, "second\n", 13, false, 0, false), afterEnd);
    }

    [Fact]
    public void Should_answer_unknown_when_the_worker_holds_nothing_of_the_run()
    {
        var actor = Sys.ActorOf(LiveOutputActor.Props(Buffer(), TimeSpan.FromMinutes(1)));

        var chunk = Ask(actor, Run, 0);

        Assert.Equal(LiveOutputChunk.Unknown(Run, 0), chunk);
    }

    [Fact]
    public void Should_log_finished_runs_forgotten_early_when_more_finish_than_are_kept()
    {
        var buffer = Buffer(keepFinishedRuns: 0);
        Sys.ActorOf(LiveOutputActor.Props(buffer, TimeSpan.FromMilliseconds(100)));

        EventFilter.Info(contains: "Live output of 1 finished runs was forgotten").ExpectOne(TimeSpan.FromSeconds(60), () =>
        {
            buffer.Begin(Run, 1);
            buffer.End(Run);
        });

        Assert.Equal(1, buffer.ForgottenEarly);
    }

    [Fact]
    public void Should_carry_the_question_and_the_answer_between_nodes_through_the_wire_serializer()
    {
        object[] messages = [new GetLiveOutput(Run, 42), new LiveOutputChunk(Run, true, "tail – é\u001b[0m\n", 64, true, 3, true), LiveOutputChunk.Unknown(Run, 0)];

        foreach (var message in messages)
        {
            var serializer = Assert.IsType<WireSerializer>(Sys.Serialization.FindSerializerFor(message));
            var restored = serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
            Assert.Equal(message, restored);
        }
    }
}
