using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Client.Tests;

/// <summary>The run history through the client: the same pages as <c>GET /api/v1/runs</c>, from the runs read model.</summary>
public sealed class ClientRunListSpecs(SharedClientNode shared) : IClassFixture<SharedClientNode>
{
    /// <summary>Generous: a bound for a loaded machine, not a claim about speed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ActorSchedulerClient Client => shared.Client;

    [Fact]
    public async Task Should_page_through_a_jobs_runs_newest_first_with_their_outputs()
    {
        var id = JobId.Parse("listed-runs");
        await Client.CreateAsync(Definitions.OnDemand(id.Value, "echo", """, "overlap": "allow" """));
        var triggered = new List<RunId>();
        for (var i = 0; i < 5; i++)
            triggered.Add(await Client.TriggerAsync(id, JsonDocument.Parse($$"""{ "n": {{i}} }""").RootElement));
        foreach (var run in triggered)
            await Client.WaitForRunAsync(run, Patience);

        var paged = new List<RunView>();
        string? after = null;
        do
        {
            var page = await Client.ListRunsAsync(new RunListFilter(JobId: id, Limit: 2, After: after));
            paged.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        var light = await Client.ListRunsAsync(new RunListFilter(JobId: id, WithOutput: false));
        var failed = await Client.ListRunsAsync(new RunListFilter(JobId: id, Status: RunStatus.Failed));

        Assert.Equal(Enumerable.Reverse(triggered).Select(run => run.ToString()), paged.Select(run => run.RunId));
        Assert.All(paged, run => Assert.Contains("\"n\"", run.Output));
        Assert.Equal(5, light.Items.Count);
        Assert.All(light.Items, run => Assert.Null(run.Output));
        Assert.Empty(failed.Items);
    }

    [Fact]
    public async Task Should_refuse_a_cursor_no_page_gave_naming_it()
    {
        var refused = await Assert.ThrowsAnyAsync<RequestRefusedException>(() => Client.ListRunsAsync(new RunListFilter(After: "page-two")));

        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.Contains("after", refused.Message);
    }
}
