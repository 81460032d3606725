using System.Net;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Gateway.Tests;

/// <summary>Last result over a real socket: a run receives what the job's previous finished run emitted, or its output.</summary>
public sealed class LastResultSpecs(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Should_give_the_next_run_the_emitted_data_of_the_previous_one_and_nothing_to_the_first()
    {
        var id = Api.NewId("last-result");
        await Api.CreateJob(id, handler: "last");
        Assert.Equal("last=", (await Api.TriggerAndFinish(id)).Output);

        await Api.Expect<JobView>(await Api.Put($"/api/v1/jobs/{id}", Api.Job(id, handler: "emit")), HttpStatusCode.OK);
        Assert.Equal(RunStatus.Succeeded, (await Api.TriggerAndFinish(id)).Status);
        await Api.Expect<JobView>(await Api.Put($"/api/v1/jobs/{id}", Api.Job(id, handler: "last")), HttpStatusCode.OK);

        Assert.Equal("""last={"rows":42}""", (await Api.TriggerAndFinish(id)).Output);
        // No data emitted: the output tail of the run before is passed on.
        Assert.Equal("""last=last={"rows":42}""", (await Api.TriggerAndFinish(id)).Output);
    }
}
