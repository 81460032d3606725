using System.Collections.Concurrent;
using ActorScheduler.Commands;
using Akka.Actor;

namespace ActorScheduler.CommandHost.Palettes;

/// <summary>pbm's <c>actor</c> palette: the actor system and its hierarchy.</summary>
public static class ActorPalette
{
    /// <summary>Actors listed at most by one <c>hierarchy</c> (a scheduler may hold a million job entities).</summary>
    public const int MaxActors = 2000;

    /// <summary>How long one level of the tree waits for its actors to identify themselves.</summary>
    private static readonly TimeSpan LevelTimeout = TimeSpan.FromSeconds(2);

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

    private static async Task Hierarchy(CommandContext context, ActorSystem system)
    {
        var root = "/" + context.Required("path").Trim('/');
        var depth = context.Int("depth", 0, 10);
        var lines = new List<TreeLine> { new(root, root) };
        var truncated = false;
        var level = new List<(string Path, string Indent)> { (root, "") };
        for (var d = 0; d < depth && level.Count > 0 && !truncated; d++)
        {
            var next = new List<(string Path, string Indent)>();
            foreach (var (path, indent) in level)
            {
                var children = await Children(system, path, context.Cancel);
                // Lines go in tree order: this parent's children right after it (found by its line).
                var at = lines.FindIndex(l => l.Path == path) + 1;
                while (at < lines.Count && lines[at].Path.StartsWith(path + "/", StringComparison.Ordinal))
                    at++;
                for (var i = 0; i < children.Count; i++)
                {
                    if (lines.Count >= MaxActors)
                    {
                        truncated = true;
                        break;
                    }
                    var last = i == children.Count - 1;
                    var child = path.TrimEnd('/') + "/" + children[i];
                    lines.Insert(at++, new TreeLine($"{indent}{(last ? "└─ " : "├─ ")}{children[i]}", child));
                    next.Add((child, indent + (last ? "   " : "│  ")));
                }
            }
            level = next;
        }
        await context.Lines(lines, ["tree"], truncated ? $"Showing the first {MaxActors} actors; narrow it with -s or -d." : $"{lines.Count} actors");
    }

    /// <summary>The names of an actor's children: everyone under <c>path/*</c> that answers Identify in time.</summary>
    private static async Task<IReadOnlyList<string>> Children(ActorSystem system, string path, CancellationToken cancel)
    {
        var found = new ConcurrentBag<string>();
        var inbox = system.ActorOf(Props.Create(() => new IdentityCollector(found)));
        try
        {
            system.ActorSelection(path.TrimEnd('/') + "/*").Tell(new Identify(null), inbox);
            await Task.Delay(LevelTimeout, cancel);
        }
        finally
        {
            inbox.Tell(PoisonPill.Instance);
        }
        return found.OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    private sealed class IdentityCollector : ReceiveActor
    {
        public IdentityCollector(ConcurrentBag<string> found) =>
            Receive<ActorIdentity>(identity =>
            {
                if (identity.Subject is { } subject)
                    found.Add(subject.Path.Name);
            });
    }
}
