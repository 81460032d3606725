using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>A definition whose job triggers would make jobs trigger each other without end is found out before it is stored.</summary>
public sealed class TriggerCyclesSpecs
{
    /// <summary>Who listens on whom: listener → the jobs whose runs it listens on.</summary>
    private static Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, IReadOnlyList<string>>> Index(params (string Listener, string Source)[] triggers) =>
        sources => sources.ToDictionary(source => source,
            source => (IReadOnlyList<string>)triggers.Where(t => t.Source == source).Select(t => t.Listener).ToList());

    private static JobDefinition Listening(string id, params string[] sources) => new()
    {
        Id = id,
        Run = new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } },
        Triggers = sources.Select(s => new TriggerSpec { Job = s, On = TriggerOn.Completed }).ToList(),
    };

    [Fact]
    public void Should_find_a_job_that_triggers_itself()
    {
        var cycle = TriggerCycles.Find(Listening("a", "z", "a"), Index());

        Assert.Equal(["a", "a"], cycle!.Value.Path);
        Assert.Equal(1, cycle.Value.Trigger);
    }

    [Fact]
    public void Should_find_two_jobs_that_trigger_each_other()
    {
        // b listens on a; now a wants to listen on b.
        var cycle = TriggerCycles.Find(Listening("a", "b"), Index(("b", "a")));

        Assert.Equal(["a", "b", "a"], cycle!.Value.Path);
    }

    [Fact]
    public void Should_find_a_longer_cycle_and_name_the_trigger_that_closes_it()
    {
        // b listens on a, c on b, d on c; a lists x first, then d.
        var cycle = TriggerCycles.Find(Listening("a", "x", "d"), Index(("b", "a"), ("c", "b"), ("d", "c"), ("e", "b")));

        Assert.Equal(["a", "b", "c", "d", "a"], cycle!.Value.Path);
        Assert.Equal(1, cycle.Value.Trigger);
    }

    [Fact]
    public void Should_find_nothing_when_the_triggers_form_a_chain_or_a_diamond()
    {
        var chain = TriggerCycles.Find(Listening("d", "c"), Index(("b", "a"), ("c", "b")));
        var diamond = TriggerCycles.Find(Listening("d", "b", "c"), Index(("b", "a"), ("c", "a")));

        Assert.Null(chain);
        Assert.Null(diamond);
    }

    [Fact]
    public void Should_look_no_further_when_the_definition_lists_no_job_trigger()
    {
        var asked = false;

        var cycle = TriggerCycles.Find(new JobDefinition { Id = "a", Triggers = [new TriggerSpec { Event = "go" }] }, _ => { asked = true; return new Dictionary<string, IReadOnlyList<string>>(); });

        Assert.Null(cycle);
        Assert.False(asked, "a definition without job triggers needs no lookup");
    }
}
