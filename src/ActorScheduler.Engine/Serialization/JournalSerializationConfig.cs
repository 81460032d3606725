using Akka.Configuration;

namespace ActorScheduler.Engine.Serialization;

/// <summary>The HOCON that binds job events and snapshots to <see cref="JobJournalSerializer"/>.</summary>
public static class JournalSerializationConfig
{
    public static Config Hocon { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.job-journal = "{{typeof(JobJournalSerializer).AssemblyQualifiedNameWithoutVersion()}}"
          serialization-bindings {
            "{{typeof(Core.Jobs.JobEvent).AssemblyQualifiedNameWithoutVersion()}}" = job-journal
            "{{typeof(Core.Jobs.JobState).AssemblyQualifiedNameWithoutVersion()}}" = job-journal
          }
          serialization-identifiers {
            "{{typeof(JobJournalSerializer).AssemblyQualifiedNameWithoutVersion()}}" = {{JobJournalSerializer.Id}}
          }
        }
        """);

    private static string AssemblyQualifiedNameWithoutVersion(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
