using Akka.Configuration;

namespace ActorScheduler.Engine.Configuration;

/// <summary>
/// Reads one section of the layered configuration strictly. Every key has its one default in the embedded HOCON
/// files (hocon/), so a key missing here is a bug — a renamed key, a file not layered — and is reported with its
/// full path instead of being answered with a second default written in code.
/// </summary>
public sealed class ConfigSection(Config root, string path)
{
    public string Path => path;

    public ConfigSection Section(string name) => new(root, $"{path}.{name}");

    public string String(string key) => root.GetString(Require(key))!;

    public int Int(string key) => root.GetInt(Require(key));

    public bool Bool(string key) => root.GetBoolean(Require(key));

    public TimeSpan Duration(string key) => root.GetTimeSpan(Require(key), null, allowInfinite: false);

    public IReadOnlyList<string> List(string key) => root.GetStringList(Require(key)).ToList();

    /// <summary>A value that must be positive (counts, sizes, intervals): zero or less is refused with the key's path.</summary>
    public int PositiveInt(string key)
    {
        var value = Int(key);
        return value > 0 ? value : throw new ConfigurationException($"{path}.{key} must be greater than 0; got {value}.");
    }

    /// <summary>A count that may be zero (zero turns the thing off), but not negative.</summary>
    public int NonNegativeInt(string key)
    {
        var value = Int(key);
        return value >= 0 ? value : throw new ConfigurationException($"{path}.{key} must be 0 or more; got {value}.");
    }

    public TimeSpan PositiveDuration(string key) =>
        Duration(key) is var value && value > TimeSpan.Zero ? value : throw new ConfigurationException($"{path}.{key} must be longer than 0.");

    private string Require(string key)
    {
        var full = $"{path}.{key}";
        return root.HasPath(full)
            ? full
            : throw new ConfigurationException($"The setting {full} is missing: it belongs in the embedded hocon/ files, which every node layers under its own.");
    }
}
