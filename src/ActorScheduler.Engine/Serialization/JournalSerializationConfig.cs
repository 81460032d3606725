using Akka.Configuration;

namespace ActorScheduler.Engine.Serialization;

/// <summary>
/// The HOCON that binds job events and snapshots to <see cref="JobJournalSerializer"/> and messages between nodes
/// to <see cref="WireSerializer"/>.
/// </summary>
public static class JournalSerializationConfig
{
    public static Config Hocon { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.job-journal = "{{typeof(JobJournalSerializer).AssemblyQualifiedNameWithoutVersion()}}"
          serializers.job-wire = "{{typeof(WireSerializer).AssemblyQualifiedNameWithoutVersion()}}"
          serialization-bindings {
            "{{typeof(Core.Jobs.JobEvent).AssemblyQualifiedNameWithoutVersion()}}" = job-journal
            "{{typeof(Core.Jobs.JobState).AssemblyQualifiedNameWithoutVersion()}}" = job-journal
        {{string.Join("\n", WireSerializer.TopLevel.Select(t => $"    \"{t.AssemblyQualifiedNameWithoutVersion()}\" = job-wire"))}}
          }
          serialization-identifiers {
            "{{typeof(JobJournalSerializer).AssemblyQualifiedNameWithoutVersion()}}" = {{JobJournalSerializer.Id}}
            "{{typeof(WireSerializer).AssemblyQualifiedNameWithoutVersion()}}" = {{WireSerializer.Id}}
          }
        }
        """);

    private static string AssemblyQualifiedNameWithoutVersion(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
