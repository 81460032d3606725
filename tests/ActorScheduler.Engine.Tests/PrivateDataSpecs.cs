using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The data directory holds job definitions (with their environment values and headers) and runs' output: only the
/// node's own user may read it. Before, the SQLite files were created world-readable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateDataSpecs
{
    [Fact]
    public async Task Should_create_the_data_directory_and_database_files_for_its_owner_only()
    {
        var directory = Path.Combine(Path.GetTempPath(), "as-private-" + Guid.NewGuid().ToString("N"));
        await using var engine = await EngineFixture.StartAsync(new CountingRunner(), directory);
        (await engine.Jobs.Define(JobId.Parse("secretive"), CoreJson.Deserialize<JobDefinition>("""
            { "id": "secretive", "run": { "shell": { "command": ["true"], "env": { "API_KEY": "s3cret" } } } }
            """), createOnly: true)).Expect<JobAccepted>();

        var modes = new[] { "", "scheduler.db", "scheduler.db-wal", "scheduler.db-shm" }
            .Select(name => Path.Combine(directory, name).TrimEnd('/'))
            .Where(path => File.Exists(path) || Directory.Exists(path))
            .ToDictionary(path => Path.GetFileName(path), path => File.GetUnixFileMode(path));

        Assert.True(modes.Count == 4, $"expected the directory and the three database files, found {string.Join(", ", modes.Keys)}");
        var open = modes.Where(m => (m.Value & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            .Select(m => $"{m.Key}: {m.Value}").ToList();
        Assert.True(open.Count == 0, $"readable or writable by others: {string.Join("; ", open)}");
    }
}
