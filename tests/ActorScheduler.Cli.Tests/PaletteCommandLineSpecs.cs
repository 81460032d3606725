using ActorScheduler.Cli.Parsing;

namespace ActorScheduler.Cli.Tests;

public sealed class PaletteCommandLineSpecs
{
    private readonly PaletteCommandLine _commandLine = new(TestPalettes.All);

    private Invocation Invoke(params string[] words) =>
        Assert.IsType<Invocation>(_commandLine.Parse(words), exactMatch: true);

    private string Problem(params string[] words) =>
        Assert.IsType<UsageProblem>(_commandLine.Parse(words), exactMatch: true).Message;

    [Fact]
    public void Should_send_the_positional_argument_by_its_name_when_given()
    {
        var invocation = Invoke("jobs", "show", "nightly");

        Assert.Equal("jobs", invocation.Palette.Name);
        Assert.Equal("show", invocation.Command.Name);
        Assert.Equal(new Dictionary<string, string> { ["id"] = "nightly" }, invocation.Arguments);
    }

    [Fact]
    public void Should_send_options_by_name_and_a_present_flag_as_true_when_given_with_long_names_and_aliases()
    {
        var invocation = Invoke("jobs", "list", "--status", "paused", "-n", "5", "--worker=w1", "--all");

        Assert.Equal(new Dictionary<string, string> { ["status"] = "paused", ["limit"] = "5", ["worker"] = "w1", ["all"] = "true" },
            invocation.Arguments);
        Assert.False(invocation.Json);
    }

    [Fact]
    public void Should_leave_out_what_was_not_given_when_the_host_has_defaults()
    {
        var invocation = Invoke("jobs", "list");

        Assert.Empty(invocation.Arguments);
    }

    [Theory]
    [InlineData("-a")]
    [InlineData("--address")]
    public void Should_accept_an_alias_the_host_wrote_with_its_dash_when_parsing(string name)
    {
        var invocation = Invoke("cluster", "down", name, "akka.tcp://actor-scheduler@10.0.0.6:4053");

        Assert.Equal("akka.tcp://actor-scheduler@10.0.0.6:4053", invocation.Arguments["address"]);
    }

    [Fact]
    public void Should_ask_for_json_output_when_json_stands_anywhere()
    {
        Assert.True(Invoke("jobs", "--json", "list").Json);
        Assert.True(Invoke("jobs", "list", "--json").Json);
    }

    [Fact]
    public void Should_refuse_a_value_outside_the_choices_when_the_parameter_has_choices()
    {
        var message = Problem("jobs", "list", "--status", "sleeping");

        Assert.Contains("sleeping", message);
        Assert.Contains("scheduled", message);
        Assert.Contains("(schedctl jobs list --help)", message);
    }

    [Fact]
    public void Should_refuse_a_positional_value_outside_the_choices_when_the_argument_has_choices()
    {
        Assert.Contains("loud", Problem("jobs", "level", "loud"));
        Assert.Equal("debug", Invoke("jobs", "level", "debug").Arguments["level"]);
    }

    [Theory]
    [InlineData(new[] { "jobs", "show" }, "id")]
    [InlineData(new[] { "cluster", "down" }, "--address")]
    public void Should_name_what_is_missing_when_a_required_parameter_is_left_out(string[] words, string missing)
    {
        Assert.Contains(missing, Problem(words));
    }

    [Theory]
    [InlineData(new[] { "jobs", "list", "--limit", "ten" }, "--limit expects a whole number")]
    [InlineData(new[] { "jobs", "runs", "nightly", "--from", "2025-06-01" }, "--from expects a time in ISO 8601 with an offset")]
    [InlineData(new[] { "jobs", "runs", "nightly", "--from", "yesterday+02:00" }, "--from expects a time")]
    [InlineData(new[] { "jobs", "trigger", "nightly", "--data", "{region: eu}" }, "--data expects JSON")]
    public void Should_check_the_value_locally_when_the_parameter_has_a_type(string[] words, string expected)
    {
        Assert.Contains(expected, Problem(words));
    }

    [Theory]
    [InlineData("2025-06-01T08:00:00Z")]
    [InlineData("2025-06-01T10:00:00+02:00")]
    [InlineData("2025-06-01T10:00:00.250-0500")]
    public void Should_accept_a_time_when_it_has_an_offset(string time)
    {
        Assert.Equal(time, Invoke("jobs", "runs", "nightly", "--from", time).Arguments["from"]);
    }

    [Fact]
    public void Should_send_json_as_typed_when_it_parses()
    {
        Assert.Equal("""{"region": "eu"}""", Invoke("jobs", "trigger", "nightly", "--data", """{"region": "eu"}""").Arguments["data"]);
    }

    [Theory]
    [InlineData(new[] { "nosuch", "list" }, "no palette 'nosuch'")]
    [InlineData(new[] { "jobs", "lst" }, "Palette 'jobs' has no command 'lst'")]
    [InlineData(new[] { "jobs" }, "Name a command of palette 'jobs'")]
    [InlineData(new[] { "--json" }, "Name a palette and a command")]
    [InlineData(new[] { "jobs", "show", "a", "b" }, "'b'")]
    public void Should_explain_and_point_to_help_when_the_words_name_no_command(string[] words, string expected)
    {
        Assert.Contains(expected, Problem(words));
    }

    [Theory]
    [InlineData(new[] { "--help" }, null, null)]
    [InlineData(new[] { "help" }, null, null)]
    [InlineData(new[] { "jobs", "--help" }, "jobs", null)]
    [InlineData(new[] { "help", "jobs" }, "jobs", null)]
    [InlineData(new[] { "jobs", "show", "-h" }, "jobs", "show")]
    [InlineData(new[] { "help", "jobs", "show" }, "jobs", "show")]
    [InlineData(new[] { "cluster", "down", "--help" }, "cluster", "down")]
    public void Should_ask_for_help_on_the_named_topic_when_help_is_requested(string[] words, string? palette, string? command)
    {
        var help = Assert.IsType<HelpRequested>(_commandLine.Parse(words));

        Assert.Equal(palette, help.Palette?.Name);
        Assert.Equal(command, help.Command?.Name);
    }

    [Fact]
    public void Should_keep_values_verbatim_when_they_look_like_response_files_or_bundled_flags()
    {
        Assert.Equal("@nightly", Invoke("jobs", "show", "@nightly").Arguments["id"]);
    }
}
