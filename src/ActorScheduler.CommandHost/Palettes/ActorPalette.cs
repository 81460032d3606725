using System.Collections.Concurrent;
using ActorScheduler.Commands;
using Akka.Actor;

namespace ActorScheduler.CommandHost.Palettes;

/// <summary>pbm's <c>actor</c> palette: the actor system and its hierarchy.</summary>
public static class ActorPalette
{
    /// <summary>Actors listed at most by one <c>hierarchy</c> (a scheduler may hold a million job entities).</summary>
    public const int MaxActors = 2000;

    /// <summary>How long one level of the tree waits at most for its actors to identify themselves.</summary>
    private static readonly TimeSpan LevelTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Once answers come, a level ends when none has come for this long (they arrive together).</summary>
    private static readonly TimeSpan LevelQuiet = TimeSpan.FromMilliseconds(500);

    public static Palette Create(ActorSystem system, TimeProvider clock) =>
        new Palette("actor", "The actor system: its name, address and uptime, and its actors")
            .Command("system", "The actor system: name, address, start time and uptime, Akka version", c => c.Object(Describe(system, clock)))
            .Command("hierarchy", $"The actor tree under a path (at most {MaxActors} actors)", c => Hierarchy(c, system),
                Param.Option("path", "s", "Where the tree starts", defaultValue: "/user"),
                Param.Option("depth", "d", "How many levels below it", ParameterTypes.Integer, "3"));

    private static object Describe(ActorSystem system, TimeProvider clock)
    {
        var started = DateTimeOffset.FromUnixTimeMilliseconds(system.StartTime.Ticks / TimeSpan.TicksPerMillisecond);
        var uptime = clock.GetUtcNow() - started;
        return new
        {
            name = system.Name,
            address = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(),
            started = started.ToString("O"),
            uptime = $"{(int)uptime.TotalDays}d {uptime:hh\\:mm\\:ss}",
            akka = typeof(ActorSystem).Assembly.GetName().Version?.ToString(3),
            dotnet = Environment.Version.ToString(),
            processors = Environment.ProcessorCount,
        };
    }

    private sealed record TreeLine(string Tree, string Path);

    /// <summary>
    /// The tree, one level at a time: every actor of a level is asked for its children at once (Identify to
    /// <c>path/*</c>), and the level ends when the answers stop coming for <see cref="LevelTimeout"/>.
    /// </summary>
    private static async Task Hierarchy(CommandContext context, ActorSystem system)
    {
        var root = "/" + context.Required("path").Trim('/');
        var depth = context.Int("depth", 0, 10);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var level = new List<string> { root };
        var count = 1;
        for (var d = 0; d < depth && level.Count > 0 && count < MaxActors; d++)
        {
            var found = await ChildrenOf(system, level, context.Cancel);
            level = [];
            foreach (var (parent, names) in found.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var kept = names.Order(StringComparer.Ordinal).Take(Math.Max(0, MaxActors - count)).ToList();
                count += kept.Count;
                children[parent] = kept;
                level.AddRange(kept.Select(name => parent.TrimEnd('/') + "/" + name));
            }
        }
        var lines = new List<TreeLine> { new(root, root) };
        Draw(root, "", children, lines);
        await context.Lines(lines, ["tree"], count >= MaxActors ? $"Showing the first {MaxActors} actors; narrow it with -s or -d." : $"{lines.Count} actors");
    }

    private static void Draw(string path, string indent, IReadOnlyDictionary<string, List<string>> children, List<TreeLine> lines)
    {
        if (!children.TryGetValue(path, out var names))
            return;
        for (var i = 0; i < names.Count; i++)
        {
            var last = i == names.Count - 1;
            var child = path.TrimEnd('/') + "/" + names[i];
            lines.Add(new TreeLine($"{indent}{(last ? "└─ " : "├─ ")}{names[i]}", child));
            Draw(child, indent + (last ? "   " : "│  "), children, lines);
        }
    }

    /// <summary>The children of each of <paramref name="parents"/>: everyone under <c>parent/*</c> that answers Identify in time.</summary>
    private static async Task<IReadOnlyDictionary<string, List<string>>> ChildrenOf(ActorSystem system, IReadOnlyList<string> parents, CancellationToken cancel)
    {
        var found = new ConcurrentDictionary<string, List<string>>(StringComparer.Ordinal);
        var inbox = system.ActorOf(Props.Create(() => new IdentityCollector(found)));
        try
        {
            foreach (var parent in parents)
                system.ActorSelection(parent.TrimEnd('/') + "/*").Tell(new Identify(parent), inbox);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var (answers, quietSince) = (0, TimeSpan.Zero);
            while (waited.Elapsed < LevelTimeout)
            {
                await Task.Delay(100, cancel);
                int now;
                lock (found)
                    now = found.Values.Sum(names => names.Count);
                if (now != answers)
                    (answers, quietSince) = (now, waited.Elapsed);
                else if (answers > 0 && waited.Elapsed - quietSince >= LevelQuiet)
                    break;
            }
        }
        finally
        {
            inbox.Tell(PoisonPill.Instance);
        }
        lock (found) // answers arriving late may still be added while this copy is taken
            return found.ToDictionary(f => f.Key, f => f.Value.ToList(), StringComparer.Ordinal);
    }

    private sealed class IdentityCollector : ReceiveActor
    {
        public IdentityCollector(ConcurrentDictionary<string, List<string>> found) =>
            Receive<ActorIdentity>(identity =>
            {
                if (identity is { Subject: { } subject, MessageId: string parent })
                    lock (found)
                        found.GetOrAdd(parent, _ => []).Add(subject.Path.Name);
            });
    }
}
