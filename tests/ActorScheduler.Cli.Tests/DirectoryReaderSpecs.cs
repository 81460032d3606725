using System.Text;
using System.Text.Json.Nodes;
using ActorScheduler.Cli.Documents;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

/// <summary><c>schedctl deploy DIR</c> reads the directory on its own machine: what it sends, what it leaves out, its bounds.</summary>
public sealed class DirectoryReaderSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("schedctl-directory-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string path, string content, bool executable = false)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (executable && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute);
    }

    private static List<(string Path, string Content, bool Executable)> Sent(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(file => (file!["path"]!.GetValue<string>(),
            Encoding.UTF8.GetString(Convert.FromBase64String(file["content"]!.GetValue<string>())), file["executable"]!.GetValue<bool>())).ToList();

    [Fact]
    public void Should_send_regular_files_with_relative_paths_their_content_and_executable_bit_when_reading_a_directory()
    {
        Write("jobs/extract.sh", "#!/bin/sh\necho extract\n", executable: true);
        Write("jobs/lib/common.sh", "x=1\n");
        Write("board.yaml", "board: nightly\n");
        Write("empty.txt", "");

        var sent = Sent(DirectoryReader.ReadAsJson(_folder));

        Assert.Equal(
        [
            ("board.yaml", "board: nightly\n", false), ("empty.txt", "", false),
            ("jobs/extract.sh", "#!/bin/sh\necho extract\n", true), ("jobs/lib/common.sh", "x=1\n", false),
        ], sent);
    }

    [Fact]
    public void Should_leave_out_dot_files_dot_directories_and_symbolic_links_when_reading_a_directory()
    {
        Write("run.sh", "echo run\n", executable: true);
        Write(".hidden.sh", "echo hidden\n", executable: true);
        Write(".git/hooks/post-receive", "echo hook\n", executable: true);
        Write("jobs/.cache/x.sh", "echo cached\n", executable: true);
        File.CreateSymbolicLink(Path.Combine(_folder, "linked.sh"), Path.Combine(_folder, "run.sh"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "linked-dir"), Path.Combine(_folder, "jobs"));

        var sent = Sent(DirectoryReader.ReadAsJson(_folder));

        Assert.Equal(["run.sh"], sent.Select(f => f.Path));
    }

    [Fact]
    public void Should_refuse_naming_the_directory_when_it_holds_more_files_than_one_deployment_sends()
    {
        for (var i = 0; i < 4; i++)
            Write($"job{i}.sh", "echo\n", executable: true);

        var within = Sent(DirectoryReader.ReadAsJson(_folder, maxFiles: 4, maxEncodedBytes: 1 << 20));
        var refused = Assert.Throws<UsageException>(() => DirectoryReader.ReadAsJson(_folder, maxFiles: 3, maxEncodedBytes: 1 << 20));

        Assert.Equal(4, within.Count);
        Assert.Contains($"'{_folder}' holds more than 3 files", refused.Message);
    }

    [Fact]
    public void Should_refuse_naming_the_directory_when_its_files_encoded_are_more_than_one_command_sends()
    {
        Write("big.sh", new string('x', 3000), executable: true);

        var within = Sent(DirectoryReader.ReadAsJson(_folder, maxFiles: 10, maxEncodedBytes: 5000));
        var refused = Assert.Throws<UsageException>(() => DirectoryReader.ReadAsJson(_folder, maxFiles: 10, maxEncodedBytes: 3500));

        Assert.Single(within);
        Assert.Contains($"'{_folder}' is too large to deploy with schedctl", refused.Message);
    }

    [Fact]
    public void Should_keep_the_default_bounds_within_one_command_frame_and_a_deployments_scripts()
    {
        Assert.Equal(1000, DirectoryReader.MaxFiles);
        Assert.True(DirectoryReader.MaxEncodedBytes < Commands.CommandProtocol.DefaultMaxFrameBytes, "the request must fit one frame");
    }

    [Fact]
    public void Should_refuse_naming_the_path_when_it_is_no_directory()
    {
        Write("file.sh", "echo\n");

        var missing = Assert.Throws<UsageException>(() => DirectoryReader.ReadAsJson(Path.Combine(_folder, "absent")));
        var file = Assert.Throws<UsageException>(() => DirectoryReader.ReadAsJson(Path.Combine(_folder, "file.sh")));

        Assert.Contains("absent' does not exist", missing.Message);
        Assert.Contains("file.sh' is a file", file.Message);
    }
}
