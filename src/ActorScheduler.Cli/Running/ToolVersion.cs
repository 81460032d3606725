using System.Reflection;

namespace ActorScheduler.Cli.Running;

/// <summary>schedctl's own version (VersionPrefix in Directory.Build.props), without the build's commit suffix.</summary>
internal static class ToolVersion
{
    public static string Text { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
