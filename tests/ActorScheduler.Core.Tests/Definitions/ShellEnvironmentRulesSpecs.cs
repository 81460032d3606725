using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>
/// The variables a job may not set in run.shell.env: each refusal names the variable's field and says why in
/// one plain sentence; ordinary names, and the plain switches of the refused families, pass.
/// </summary>
public sealed class ShellEnvironmentRulesSpecs
{
    [Theory]
    // the dynamic loader and the C library
    [InlineData("LD_PRELOAD", "dynamic loader")]
    [InlineData("LD_LIBRARY_PATH", "dynamic loader")]
    [InlineData("LD_AUDIT", "dynamic loader")]
    [InlineData("DYLD_INSERT_LIBRARIES", "dynamic loader")]
    [InlineData("GCONV_PATH", "dynamic loader")]
    [InlineData("LOCPATH", "dynamic loader")]
    [InlineData("HOSTALIASES", "dynamic loader")]
    [InlineData("RES_OPTIONS", "dynamic loader")]
    [InlineData("MALLOC_CHECK_", "dynamic loader")]
    [InlineData("MALLOC_ARENA_MAX", "dynamic loader")]
    [InlineData("GLIBC_TUNABLES", "dynamic loader")]
    // shells
    [InlineData("BASH_FUNC_echo%%", "shells")]
    [InlineData("BASH_FUNC_echo()", "shells")]
    [InlineData("BASH_FUNC_x", "shells")]
    [InlineData("BASH_ENV", "shells")]
    [InlineData("ENV", "shells")]
    [InlineData("SHELLOPTS", "shells")]
    [InlineData("BASHOPTS", "shells")]
    [InlineData("PS4", "shells")]
    [InlineData("IFS", "shells")]
    [InlineData("CDPATH", "shells")]
    [InlineData("GLOBIGNORE", "shells")]
    [InlineData("PROMPT_COMMAND", "shells")]
    // interpreters and runtimes
    [InlineData("PYTHONSTARTUP", "Python")]
    [InlineData("PYTHONPATH", "Python")]
    [InlineData("PYTHONHOME", "Python")]
    [InlineData("PYTHONINSPECT", "Python")]
    [InlineData("PYTHONWARNINGS", "Python")]
    [InlineData("PYTHONUSERBASE", "Python")]
    [InlineData("NODE_OPTIONS", "interpreter")]
    [InlineData("NODE_PATH", "interpreter")]
    [InlineData("PERL5OPT", "interpreter")]
    [InlineData("PERL5LIB", "interpreter")]
    [InlineData("PERLLIB", "interpreter")]
    [InlineData("RUBYOPT", "interpreter")]
    [InlineData("RUBYLIB", "interpreter")]
    [InlineData("JAVA_TOOL_OPTIONS", "interpreter")]
    [InlineData("_JAVA_OPTIONS", "interpreter")]
    [InlineData("JDK_JAVA_OPTIONS", "interpreter")]
    [InlineData("DOTNET_STARTUP_HOOKS", "interpreter")]
    [InlineData("CORECLR_PROFILER_PATH", "interpreter")]
    [InlineData("OPENSSL_CONF", "interpreter")]
    // git and command-holding variables
    [InlineData("GIT_SSH_COMMAND", "git")]
    [InlineData("GIT_CONFIG_COUNT", "git")]
    [InlineData("GIT_DIR", "git")]
    [InlineData("GIT_EXEC_PATH", "git")]
    [InlineData("LESSOPEN", "command")]
    [InlineData("PAGER", "command")]
    [InlineData("BROWSER", "command")]
    // names that follow a pattern many programs read: options, start-up code, helper programs, configuration
    [InlineData("TAR_OPTIONS", "options")]
    [InlineData("MAVEN_OPTS", "options")]
    [InlineData("LUA_INIT", "interpreter")]
    [InlineData("LUA_INIT_5_4", "options")]
    [InlineData("RSYNC_RSH", "command")]
    [InlineData("RSYNC_CONNECT_PROG", "command")]
    [InlineData("SYSTEMD_PAGER", "command")]
    [InlineData("PSQL_PAGER", "command")]
    [InlineData("SVN_EDITOR", "command")]
    [InlineData("GIT_ASKPASS", "git")]
    [InlineData("ZIPOPT", "options")]
    [InlineData("LESS", "command")]
    [InlineData("PHPRC", "interpreter")]
    [InlineData("PHP_INI_SCAN_DIR", "interpreter")]
    [InlineData("npm_config_script_shell", "configuration")]
    [InlineData("PIP_CONFIG_FILE", "configuration")]
    [InlineData("WGETRC", "configuration")]
    [InlineData("CURL_HOME", "configuration")]
    // the run's identity
    [InlineData("SCHEDULER_FENCING_TOKEN", "fencing token")]
    [InlineData("SCHEDULER_RUN_ID", "fencing token")]
    [InlineData("SCHEDULER_ANYTHING", "fencing token")]
    public void Should_refuse_saying_why_when_the_name_changes_how_programs_load_or_run(string name, string why)
    {
        var errors = ShellEnvironmentRules.Validate(new Dictionary<string, string> { [name] = "x" });

        var error = Assert.Single(errors);
        Assert.Equal($"run.shell.env.{name}", error.Field);
        Assert.StartsWith("may not be set by a job: ", error.Message);
        Assert.Contains(why, error.Message);
        AssertPlainSentence(error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0B")]
    public void Should_refuse_on_the_env_field_when_the_name_is_not_a_valid_name(string name)
    {
        var error = Assert.Single(ShellEnvironmentRules.Validate(new Dictionary<string, string> { [name] = "1" }));

        Assert.Equal("run.shell.env", error.Field);
        Assert.Contains("is not a valid environment variable name", error.Message);
        Assert.False(error.Message.Contains('\0'), "a NUL character would end the message early in a C string or a log line");
        AssertPlainSentence(error.Message);
    }

    [Fact]
    public void Should_refuse_when_a_value_holds_a_nul_character()
    {
        var error = Assert.Single(ShellEnvironmentRules.Validate(new Dictionary<string, string> { ["A"] = "x\0LD_PRELOAD=/tmp/x.so" }));

        Assert.Equal(new ValidationError("run.shell.env.A", "must not hold a NUL character in its value."), error);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("LANG")]
    [InlineData("LC_ALL")]
    [InlineData("TZ")]
    [InlineData("TMPDIR")]
    [InlineData("env")]
    [InlineData("ld_preload")]
    [InlineData("MY_LD_PRELOAD")]
    [InlineData("SCHEDULER")]
    [InlineData("PYTHONUNBUFFERED")]
    [InlineData("PYTHONIOENCODING")]
    [InlineData("GIT_AUTHOR_NAME")]
    [InlineData("GIT_COMMITTER_EMAIL")]
    [InlineData("DOTNET_CLI_TELEMETRY_OPTOUT")]
    [InlineData("HTTPS_PROXY")]
    [InlineData("BILLING_DATABASE_URL")]
    public void Should_allow_when_the_name_is_ordinary(string name)
    {
        Assert.Null(ShellEnvironmentRules.Refusal(name));
        Assert.Empty(ShellEnvironmentRules.Validate(new Dictionary<string, string> { [name] = "1" }));
    }

    [Fact]
    public void Should_report_every_refused_name_in_name_order_when_several_are_set()
    {
        var env = new Dictionary<string, string> { ["SHELLOPTS"] = "xtrace", ["A"] = "1", ["PS4"] = "$(id)", ["BASH_ENV"] = "$(id)" };

        var fields = ShellEnvironmentRules.Validate(env).Select(e => e.Field);

        Assert.Equal(["run.shell.env.BASH_ENV", "run.shell.env.PS4", "run.shell.env.SHELLOPTS"], fields);
    }

    [Fact]
    public void Should_report_nothing_when_there_is_no_env() =>
        Assert.Empty(ShellEnvironmentRules.Validate(null));

    private static void AssertPlainSentence(string message)
    {
        Assert.True(message.EndsWith('.'), $"not a sentence: {message}");
        Assert.True(message.Length <= 300, $"too long for a person to read: {message}");
    }
}
