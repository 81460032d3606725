using System.Text;
using ActorScheduler.Core.Deploys;
using ActorScheduler.Engine.Deploys;

namespace ActorScheduler.Gateway.Deploys;

/// <summary>
/// The gateway's bare repository of scripts, <c>{data-directory}/git/scripts.git</c>: created at start if missing, with
/// the <c>post-receive</c> hook that deploys each push through this gateway (<see cref="Hook"/>, rewritten at every
/// start); and the files of a pushed commit, read with git's plumbing.
/// </summary>
internal sealed class ScriptRepository(DeploySettings settings)
{
    public string Root => settings.RepositoryRoot;

    public string GitDirectory => Path.Combine(settings.RepositoryRoot, DeploySettings.RepositoryName);

    /// <summary>Entries of a commit's tree read at most: a tree beyond it is refused.</summary>
    public const int MaxTreeEntries = 100_000;

    /// <summary>
    /// The hook git runs after a push has been stored: it posts each updated ref to this gateway's deploy endpoint and
    /// prints the answer, which git shows the pusher after <c>remote:</c>. The URL and token come from the environment the
    /// gateway gives git for this one push (<see cref="GitHttpBackend"/>); neither is written anywhere. The token goes
    /// to curl on its standard input, so it does not show in the process list either.
    /// </summary>
    public const string Hook = """
        #!/bin/sh
        # Installed by ActorScheduler, rewritten at every start of the gateway: deploys each push (docs/API.md, "Deployed scripts").
        if [ -z "$ACTORSCHEDULER_DEPLOY_URL" ]; then
          echo "ActorScheduler: this push did not come through the gateway's /git endpoint, so nothing was deployed."
          exit 0
        fi
        if ! command -v curl >/dev/null 2>&1; then
          echo "ActorScheduler: curl is not installed on the gateway, so nothing was deployed (POST /api/v1/scripts/deploy does it)."
          exit 0
        fi
        while read -r old new ref; do
          body="{\"commit\":\"$new\",\"ref\":\"$ref\"}"
          if [ -n "$ACTORSCHEDULER_DEPLOY_TOKEN" ]; then
            printf 'Authorization: Bearer %s\n' "$ACTORSCHEDULER_DEPLOY_TOKEN" |
              curl -sS --max-time 600 -H @- -H 'Accept: text/plain' -H 'Content-Type: application/json' --data-binary "$body" "$ACTORSCHEDULER_DEPLOY_URL"
          else
            curl -sS --max-time 600 -H 'Accept: text/plain' -H 'Content-Type: application/json' --data-binary "$body" "$ACTORSCHEDULER_DEPLOY_URL"
          fi
          echo
        done
        exit 0
        """;

    /// <summary>Creates the repository if it does not exist, and (re)writes its hook.</summary>
    /// <exception cref="InvalidOperationException">git is missing or failed (the message says why).</exception>
    public async Task EnsureAsync(CancellationToken cancel)
    {
        Directory.CreateDirectory(Root);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!File.Exists(Path.Combine(GitDirectory, "HEAD")))
        {
            var init = await Git(["init", "--bare", "--quiet", "--initial-branch=main", GitDirectory], 64 * 1024, cancel);
            if (!init.Succeeded)
                throw new InvalidOperationException($"git init of {GitDirectory} failed: {init.Errors}");
        }
        var hook = Path.Combine(GitDirectory, "hooks", "post-receive");
        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        await File.WriteAllTextAsync(hook, Hook.ReplaceLineEndings("\n") + "\n", cancel);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// The deployable files of <paramref name="commit"/>: its executable files (mode 100755) and a board file at its root,
    /// each read up to one byte more than a script may have (a longer one is refused by its size).
    /// </summary>
    /// <returns>The files, or null with why the commit cannot be read.</returns>
    public async Task<(IReadOnlyList<DeployFile>? Files, string? Error)> ReadCommitAsync(string commit, CancellationToken cancel)
    {
        if (commit.Length is not (40 or 64) || !commit.All(Uri.IsHexDigit))
            return (null, $"'{commit}' is not a commit id.");
        var tree = await Git(["--git-dir", GitDirectory, "ls-tree", "-r", "-z", "--full-tree", commit], 64L * MaxTreeEntries + 1024 * 1024, cancel);
        if (!tree.Succeeded)
            return (null, $"commit {commit} cannot be read: {tree.Errors}");
        var entries = Encoding.UTF8.GetString(tree.Output).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length > MaxTreeEntries)
            return (null, $"commit {commit} has more than {MaxTreeEntries} files.");
        var files = new List<DeployFile>();
        foreach (var entry in entries)
        {
            var tab = entry.IndexOf('\t');
            var (meta, path) = (entry[..tab].Split(' '), entry[(tab + 1)..]);
            var executable = meta is ["100755", "blob", _];
            if (!executable && !(meta is ["100644", "blob", _] && ScriptJobs.BoardFiles.Contains(path)))
                continue;
            var blob = await Git(["--git-dir", GitDirectory, "cat-file", "blob", meta[2]], long.MaxValue, cancel, settings.MaxScriptBytes + 1L);
            if (!blob.Succeeded)
                return (null, $"{path} cannot be read: {blob.Errors}");
            files.Add(new DeployFile(path, blob.Output, executable));
        }
        return (files, null);
    }

    private Task<GitResult> Git(string[] arguments, long maxOutput, CancellationToken cancel, long? keep = null) =>
        keep is { } bytes ? GitProcess.RunAsync(settings.Git, arguments, settings.GitTimeout, bytes, cancel, truncate: true)
            : GitProcess.RunAsync(settings.Git, arguments, settings.GitTimeout, maxOutput, cancel);
}
