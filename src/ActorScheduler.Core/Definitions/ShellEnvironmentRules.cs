namespace ActorScheduler.Core.Definitions;

/// <summary>
/// Which variables a job may put in <c>run.shell.env</c>. A worker may limit what a job runs to a directory of
/// scripts, but many variables make a program run other code than the one approved: the dynamic loader preloads
/// a library (LD_PRELOAD), bash imports functions (BASH_FUNC_echo%%) or expands start-up code (BASH_ENV,
/// SHELLOPTS=xtrace with PS4='$(…)'), interpreters import modules (PYTHONPATH, NODE_OPTIONS). Those names are
/// refused, as are the SCHEDULER_* variables the worker sets per run (a job must not forge its fencing token).
/// The gateway's validator rejects such a definition; the worker checks again and never starts such a run.
/// </summary>
/// <remarks>
/// Names compare exactly, as Linux does (<c>ld_preload</c> means nothing to the loader). Besides the names known to
/// common programs, the patterns many programs follow are refused: options read from the environment (<c>*_OPTIONS</c>,
/// <c>*_OPTS</c>: <c>TAR_OPTIONS=--checkpoint-action=exec=…</c>), start-up code (<c>*_INIT</c>), remote shells and
/// helper programs (<c>*_RSH</c>, <c>*_PROG</c>, <c>*PAGER</c>, <c>*EDITOR</c>, <c>*_ASKPASS</c>) and
/// configuration files that can hold commands. This is a list of what is known to run code; it cannot know every
/// program, which is why a worker that limits commands also keeps PATH, HOME and XDG_* for itself
/// (Runners' JobEnvironment) and docs/SECURITY.md advises listing scripts rather than general-purpose programs.
/// </remarks>
public static class ShellEnvironmentRules
{
    /// <summary>The prefix of the variables the worker sets for every run (identity, fencing token, data).</summary>
    public const string SchedulerPrefix = "SCHEDULER_";

    private const string Refused = "may not be set by a job: ";

    private const string LoaderReason = Refused +
        "it changes which code the dynamic loader and C library load, or how they resolve names and manage memory, in every program the job starts.";

    private const string ShellReason = Refused +
        "shells read it to import functions, run start-up code or change how they parse and trace a script.";

    private const string InterpreterReason = Refused +
        "it makes an interpreter or runtime (Python, Node.js, Perl, Ruby, Java, .NET, OpenSSL) load extra code or options.";

    private const string PythonReason = Refused +
        "Python reads PYTHON* variables to import code; only PYTHONUNBUFFERED, PYTHONIOENCODING, PYTHONUTF8, " +
        "PYTHONDONTWRITEBYTECODE, PYTHONHASHSEED, PYTHONFAULTHANDLER, PYTHONNOUSERSITE and PYTHONSAFEPATH may be set.";

    private const string GitReason = Refused +
        "it changes which repository, configuration or helper programs git uses; only GIT_AUTHOR_* and GIT_COMMITTER_* may be set.";

    private const string CommandReason = Refused +
        "it holds a command that other programs run on the job's behalf (a pager, editor, browser or password prompt).";

    private const string OptionsReason = Refused +
        "programs read *_OPTIONS, *_OPTS and *_INIT variables as extra command-line options or start-up code, which can run commands.";

    private const string ConfigReason = Refused +
        "it points a program at a configuration file or options that can make it run commands.";

    private const string SchedulerReason = Refused +
        "the worker sets the SCHEDULER_* variables for each run, so a job cannot pass off another identity or fencing token.";

    private static readonly (string Prefix, string Reason)[] RefusedPrefixes =
    [
        ("LD_", LoaderReason), ("DYLD_", LoaderReason), ("MALLOC_", LoaderReason),
        ("BASH_FUNC_", ShellReason),
        ("PYTHON", PythonReason),
        ("CORECLR_", InterpreterReason),
        ("GIT_", GitReason),
        ("LUA_", InterpreterReason), ("PHP", InterpreterReason), ("RSYNC_", CommandReason),
        ("npm_config_", ConfigReason), ("NPM_CONFIG_", ConfigReason), ("PIP_", ConfigReason),
        (SchedulerPrefix, SchedulerReason),
    ];

    private static readonly (string Suffix, string Reason)[] RefusedSuffixes =
    [
        ("_OPTIONS", OptionsReason), ("_OPTS", OptionsReason), ("_INIT", OptionsReason),
        ("_RSH", CommandReason), ("_PROG", CommandReason), ("PAGER", CommandReason), ("EDITOR", CommandReason),
        ("ASKPASS", CommandReason),
    ];

    private static readonly Dictionary<string, string> RefusedNames = new(StringComparer.Ordinal)
    {
        ["GCONV_PATH"] = LoaderReason, ["LOCPATH"] = LoaderReason, ["NLSPATH"] = LoaderReason,
        ["GLIBC_TUNABLES"] = LoaderReason, ["HOSTALIASES"] = LoaderReason, ["RES_OPTIONS"] = LoaderReason,
        ["LOCALDOMAIN"] = LoaderReason,

        ["BASH_ENV"] = ShellReason, ["ENV"] = ShellReason, ["SHELLOPTS"] = ShellReason, ["BASHOPTS"] = ShellReason,
        ["PS0"] = ShellReason, ["PS1"] = ShellReason, ["PS2"] = ShellReason, ["PS3"] = ShellReason, ["PS4"] = ShellReason,
        ["IFS"] = ShellReason, ["CDPATH"] = ShellReason, ["GLOBIGNORE"] = ShellReason, ["PROMPT_COMMAND"] = ShellReason,
        ["BASH_LOADABLES_PATH"] = ShellReason, ["ZDOTDIR"] = ShellReason,

        ["NODE_OPTIONS"] = InterpreterReason, ["NODE_PATH"] = InterpreterReason, ["NODE_REPL_EXTERNAL_MODULE"] = InterpreterReason,
        ["PERL5OPT"] = InterpreterReason, ["PERL5LIB"] = InterpreterReason, ["PERLLIB"] = InterpreterReason, ["PERL5DB"] = InterpreterReason,
        ["RUBYOPT"] = InterpreterReason, ["RUBYLIB"] = InterpreterReason,
        ["JAVA_TOOL_OPTIONS"] = InterpreterReason, ["_JAVA_OPTIONS"] = InterpreterReason, ["JDK_JAVA_OPTIONS"] = InterpreterReason,
        ["CLASSPATH"] = InterpreterReason,
        ["DOTNET_STARTUP_HOOKS"] = InterpreterReason, ["DOTNET_ADDITIONAL_DEPS"] = InterpreterReason,
        ["DOTNET_SHARED_STORE"] = InterpreterReason,
        ["OPENSSL_CONF"] = InterpreterReason, ["OPENSSL_ENGINES"] = InterpreterReason, ["OPENSSL_MODULES"] = InterpreterReason,

        ["PAGER"] = CommandReason, ["MANPAGER"] = CommandReason, ["EDITOR"] = CommandReason, ["VISUAL"] = CommandReason,
        ["BROWSER"] = CommandReason, ["LESSOPEN"] = CommandReason, ["LESSCLOSE"] = CommandReason,
        ["SSH_ASKPASS"] = CommandReason, ["SUDO_ASKPASS"] = CommandReason,
        ["LESS"] = CommandReason, ["LESSKEY"] = CommandReason, ["LESSKEYIN"] = CommandReason,

        ["ZIPOPT"] = OptionsReason, ["UNZIP"] = OptionsReason, ["UNZIPOPT"] = OptionsReason, ["GZIP"] = OptionsReason,
        ["WGETRC"] = ConfigReason, ["CURL_HOME"] = ConfigReason, ["SSL_CERT_FILE"] = ConfigReason, ["SSL_CERT_DIR"] = ConfigReason,
        ["GIT_CONFIG_GLOBAL"] = ConfigReason, ["XDG_CONFIG_DIRS"] = ConfigReason, ["INPUTRC"] = ConfigReason,
    };

    // Switches that only change output, encoding or hashing, and two that make Python import less.
    private static readonly HashSet<string> AllowedDespitePrefix = new(StringComparer.Ordinal)
    {
        "PYTHONUNBUFFERED", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED",
        "PYTHONFAULTHANDLER", "PYTHONNOUSERSITE", "PYTHONSAFEPATH",
        "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
    };

    /// <summary>Whether the OS can carry the name at all: not empty, no '=' (the separator), no NUL (the end).</summary>
    public static bool IsValidName(string? name) => !string.IsNullOrEmpty(name) && !name.Contains('=') && !name.Contains('\0');

    /// <returns>Why a job may not set <paramref name="name"/> (a sentence), or null when it may.</returns>
    public static string? Refusal(string name)
    {
        if (!IsValidName(name))
            return $"'{Show(name)}' is not a valid environment variable name: a name must not be empty or hold '=' or a NUL character.";
        if (RefusedNames.TryGetValue(name, out var reason)) return reason;
        if (AllowedDespitePrefix.Contains(name)) return null;
        foreach (var (prefix, prefixReason) in RefusedPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return prefixReason;
        foreach (var (suffix, suffixReason) in RefusedSuffixes)
            if (name.EndsWith(suffix, StringComparison.Ordinal)) return suffixReason;
        return null;
    }

    /// <summary>
    /// Every refused variable of <paramref name="env"/>, in name order, each on <c>field.NAME</c> (or on
    /// <paramref name="field"/> itself when the name cannot be shown as a path).
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(IReadOnlyDictionary<string, string>? env, string field = "run.shell.env")
    {
        var errors = new List<ValidationError>();
        Validate(env, field, (f, m) => errors.Add(new ValidationError(f, m)));
        return errors;
    }

    /// <summary>The form <see cref="JobDefinitionValidator"/> calls, reporting through its error callback.</summary>
    internal static void Validate(IReadOnlyDictionary<string, string>? env, string field, Action<string, string> error)
    {
        if (env is null) return;
        foreach (var (name, value) in env.OrderBy(variable => variable.Key, StringComparer.Ordinal))
        {
            if (Refusal(name) is { } reason)
                error(IsValidName(name) ? $"{field}.{name}" : field, reason);
            else if (value?.Contains('\0') == true)
                error($"{field}.{name}", "must not hold a NUL character in its value.");
        }
    }

    private static string Show(string? name) => (name ?? "").Replace("\0", "\\0", StringComparison.Ordinal);
}
