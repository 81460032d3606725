using ActorScheduler.Engine.Deploys;

namespace ActorScheduler.Gateway.Deploys;

/// <summary>
/// Deployed scripts on a gateway: the deployer (<c>POST /api/v1/scripts/deploy</c>) and the git repository behind
/// <c>/git</c>. A host registers one as a service to offer them (the node does, when <c>actor-scheduler.deploy.enabled</c>);
/// <see cref="GitProblem"/> says why <c>/git</c> is not served while uploads still deploy (git missing, say).
/// </summary>
public sealed class GatewayDeploys
{
    private GatewayDeploys(ScriptDeployer deployer, ScriptRepository repository, string? gitProblem) =>
        (Deployer, Repository, GitProblem) = (deployer, repository, gitProblem);

    public ScriptDeployer Deployer { get; }

    internal ScriptRepository Repository { get; }

    public string? GitProblem { get; }

    /// <summary>The repository's path on disk (<c>{data-directory}/git/scripts.git</c>).</summary>
    public string GitDirectory => Repository.GitDirectory;

    /// <param name="deployer">The node's deployer (<see cref="Engine.Hosting.DeployedScriptHosting.Deployer"/>), shared with its command host.</param>
    public static async Task<GatewayDeploys> CreateAsync(ScriptDeployer deployer, CancellationToken cancel = default)
    {
        var repository = new ScriptRepository(deployer.Settings);
        string? problem = null;
        try
        {
            await repository.EnsureAsync(cancel);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            problem = $"The scripts repository is not served at /git: {e.Message}";
        }
        return new GatewayDeploys(deployer, repository, problem);
    }
}
