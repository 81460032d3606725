using ActorScheduler.Engine.Configuration;
using Akka.Configuration;

namespace ActorScheduler.Engine.Deploys;

/// <summary>
/// <c>actor-scheduler.deploy</c>: scripts deployed by git push to the gateway (or <c>POST /api/v1/scripts/deploy</c>).
/// </summary>
/// <param name="Enabled">The gateway serves its repository at <c>/git/scripts.git</c> and deploys pushes.</param>
/// <param name="Branches">Pushes to these branches deploy; others are stored only.</param>
/// <param name="MaxScriptBytes">A script larger than this is refused.</param>
/// <param name="MaxScripts">A deployment with more executable files than this is refused whole.</param>
/// <param name="MaxPushBytes">The largest request body git may send to the gateway (a push's pack).</param>
/// <param name="GitTimeout">How long one git process (a push, a fetch, a read of a commit) may run before it is killed.</param>
/// <param name="Git">The git executable (a name on PATH or an absolute path).</param>
/// <param name="RepositoryRoot">Where the bare repository lives: <c>{data-directory}/git</c>.</param>
public sealed record DeploySettings(
    bool Enabled, IReadOnlyList<string> Branches, int MaxScriptBytes, int MaxScripts, long MaxPushBytes, TimeSpan GitTimeout, string Git,
    string RepositoryRoot)
{
    public const string Path = "actor-scheduler.deploy";

    /// <summary>The repository's name under <see cref="RepositoryRoot"/> (and in its URL, <c>/git/scripts.git</c>).</summary>
    public const string RepositoryName = "scripts.git";

    public static DeploySettings From(Config config, string dataDirectory)
    {
        var section = new ConfigSection(config, Path);
        return new DeploySettings(section.Bool("enabled"), section.List("branches"), section.PositiveInt("max-script-bytes"), section.PositiveInt("max-scripts"),
            section.PositiveInt("max-push-megabytes") * 1024L * 1024L, section.PositiveDuration("git-timeout"), section.String("git"),
            System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, "git")));
    }
}

/// <summary>
/// A worker's side of deployed scripts: whether it runs them (<c>actor-scheduler.worker.shell.allow-deployed-scripts</c>)
/// and its cache (<c>actor-scheduler.worker.script-cache</c>) under <c>{data-directory}/script-cache</c>.
/// </summary>
public sealed record WorkerScriptSettings(bool Allowed, string CacheDirectory, long CacheMaxBytes, int CacheMaxScripts, TimeSpan FetchTimeout, long MaxScriptBytes)
{
    public static WorkerScriptSettings From(Config config, string dataDirectory)
    {
        var cache = new ConfigSection(config, "actor-scheduler.worker.script-cache");
        return new WorkerScriptSettings(new ConfigSection(config, "actor-scheduler.worker.shell").Bool("allow-deployed-scripts"),
            System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, "script-cache")), cache.PositiveInt("max-megabytes") * 1024L * 1024L,
            cache.PositiveInt("max-scripts"), cache.PositiveDuration("fetch-timeout"), new ConfigSection(config, DeploySettings.Path).PositiveInt("max-script-bytes"));
    }
}
