using System.Text.Json;
using ActorScheduler.Cli.Documents;
using ActorScheduler.Cli.Running;

namespace ActorScheduler.Cli.Tests;

public sealed class DocumentReaderSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("schedctl-documents-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Should_send_compact_json_when_the_file_is_json_with_comments_and_spacing()
    {
        var path = Write("job.json", """
            {
              // the nightly export
              "id": "nightly",
              "schedule": { "cron": "0 2 * * *" },
            }
            """);

        Assert.Equal("""{"id":"nightly","schedule":{"cron":"0 2 * * *"}}""", DocumentReader.ReadAsJson(path));
    }

    [Fact]
    public void Should_convert_yaml_keeping_numbers_booleans_nulls_and_strings_sensible_when_the_file_is_yaml()
    {
        var path = Write("job.yaml", """
            id: nightly
            script: |
              echo hi
            version: "1.0"
            retries: 3
            ratio: -0.25
            big: 1e3
            enabled: true
            legacyYes: yes
            code: 007
            hex: 0x1F
            timeout: 30s
            cron: 0 */5 * * *
            note: ~
            empty:
            forced: !!str 42
            tags: [a, b]
            """);

        using var json = JsonDocument.Parse(DocumentReader.ReadAsJson(path));
        var root = json.RootElement;

        Assert.Equal("nightly", root.GetProperty("id").GetString());
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal(3, root.GetProperty("retries").GetInt32());
        Assert.Equal(-0.25, root.GetProperty("ratio").GetDouble());
        Assert.Equal(1000, root.GetProperty("big").GetDouble());
        Assert.True(root.GetProperty("enabled").GetBoolean());
        Assert.Equal("yes", root.GetProperty("legacyYes").GetString());
        Assert.Equal("007", root.GetProperty("code").GetString());
        Assert.Equal("0x1F", root.GetProperty("hex").GetString());
        Assert.Equal("30s", root.GetProperty("timeout").GetString());
        Assert.Equal("0 */5 * * *", root.GetProperty("cron").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("note").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("empty").ValueKind);
        Assert.Equal("42", root.GetProperty("forced").GetString());
        Assert.Equal(["a", "b"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("echo hi\n", root.GetProperty("script").GetString());
    }

    [Theory]
    [InlineData("job.txt", "{\"id\": \"nightly\"}")]
    [InlineData("job", "id: nightly")]
    public void Should_tell_json_from_yaml_by_the_content_when_the_extension_says_nothing(string name, string content)
    {
        Assert.Equal("""{"id":"nightly"}""", DocumentReader.ReadAsJson(Write(name, content)));
    }

    [Fact]
    public void Should_name_the_file_and_the_line_when_the_yaml_is_broken()
    {
        var path = Write("broken.yaml", "id: nightly\nschedule:\n  cron: \"0 2 * * *\n");

        var error = Assert.Throws<UsageException>(() => DocumentReader.ReadAsJson(path));

        Assert.StartsWith($"{path} line ", error.Message);
    }

    [Fact]
    public void Should_name_the_file_and_the_line_when_the_json_is_broken()
    {
        var path = Write("broken.json", "{\n  \"id\": \"nightly\",\n  \"schedule\": {\n}\n");

        var error = Assert.Throws<UsageException>(() => DocumentReader.ReadAsJson(path));

        Assert.StartsWith($"{path} line 5:", error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Should_refuse_a_key_given_twice_when_the_yaml_repeats_it()
    {
        var path = Write("twice.yaml", "id: a\nid: b\n");

        var error = Assert.Throws<UsageException>(() => DocumentReader.ReadAsJson(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Should_refuse_several_documents_when_the_yaml_holds_more_than_one()
    {
        var path = Write("two.yaml", "id: a\n---\nid: b\n");

        var error = Assert.Throws<UsageException>(() => DocumentReader.ReadAsJson(path));

        Assert.Contains("2 YAML documents", error.Message);
    }

    [Theory]
    [InlineData("missing.yaml", null)]
    [InlineData("empty.yaml", "")]
    public void Should_name_the_file_when_it_is_missing_or_empty(string name, string? content)
    {
        var path = content is null ? Path.Combine(_folder, name) : Write(name, content);

        var error = Assert.Throws<UsageException>(() => DocumentReader.ReadAsJson(path));

        Assert.Contains($"'{path}'", error.Message);
    }
}
