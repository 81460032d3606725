using System.Text.RegularExpressions;

namespace ActorScheduler.Integration.Tests.Cli;

/// <summary>schedctl's interactive prompt in a terminal (tmux), against the same cluster.</summary>
public sealed partial class CliClusterSpecs
{
    private async Task<Tmux> PromptAsync(string process)
    {
        var host = fixture.Host(process);
        var tmux = await Tmux.StartAsync($"dotnet {Schedctl.Dll} {host}");
        await tmux.WaitForAsync($"[{host}] schedctl>");
        return tmux;
    }

    [Fact]
    public async Task Should_show_the_cluster_at_the_interactive_prompt_and_prompt_again()
    {
        await using var tmux = await PromptAsync("gateway");

        await tmux.TypeAsync("cluster show");
        await tmux.SendKeysAsync("Enter");
        var screen = await tmux.WaitForAsync($"Count: {RunningMembers} nodes");

        Assert.Contains("lighthouse", screen);
        await tmux.WaitForAsync(s => Regex.Matches(s, Regex.Escape("schedctl>")).Count >= 2, "a second prompt after the answer");
    }

    [Fact]
    public async Task Should_complete_palettes_commands_and_options_with_tab_from_what_the_host_advertised()
    {
        await using var tmux = await PromptAsync("gateway");

        await tmux.TypeAsync("clus");
        await tmux.SendKeysAsync("Tab");
        await tmux.WaitForAsync(s => s.Contains("cluster-sharding") && s.Contains("cluster "), "both palettes offered for 'clus'");
        await tmux.TypeAsync(" sh");
        await tmux.SendKeysAsync("Tab");
        await tmux.WaitForAsync("schedctl> cluster show");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForAsync($"Count: {RunningMembers} nodes");

        await tmux.TypeAsync("jobs li");
        await tmux.SendKeysAsync("Tab");
        await tmux.WaitForAsync("schedctl> jobs list");
        await tmux.TypeAsync("--sta");
        await tmux.SendKeysAsync("Tab");
        await tmux.WaitForAsync("schedctl> jobs list --status");
    }

    [Fact]
    public async Task Should_move_a_progress_bar_while_jobs_tail_follows_a_run_and_stop_on_ctrl_c()
    {
        var gateway = fixture.Host("gateway");
        var file = Path.Combine(Path.GetTempPath(), $"cli-progress-{Guid.NewGuid():N}.json");
        // Five steps two seconds apart: slow enough that a tail polling twice a second sees the bar at several places.
        await File.WriteAllTextAsync(file, """
            {"id":"cli-progress","schedule":{"every":{"hours":24}},"worker":"workers",
             "run":{"shell":{"command":["sh","-c","for i in 1 2 3 4 5; do echo \">>> scheduler.progress($i, 5)\" >&2; echo step $i; sleep 2; done"]}}}
            """);
        await Ok(gateway, "jobs", "create", "-f", file);
        await using var tmux = await PromptAsync("gateway");

        await tmux.TypeAsync("jobs tail cli-progress");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForAsync("waiting for the next run");
        await Ok(gateway, "jobs", "trigger", "cli-progress");
        var seen = new HashSet<string>();
        await tmux.WaitForAsync(screen =>
        {
            foreach (Match match in Regex.Matches(screen, @"\b([0-9]{1,3})%"))
                seen.Add(match.Groups[1].Value);
            return screen.Contains("succeeded") && seen.Count >= 2;
        }, "the bar at two places at least and the run's end", seconds: 150);
        var end = await tmux.WaitForAsync("step 5");
        await tmux.SendKeysAsync("C-c");
        await tmux.WaitForAsync(s => Regex.Matches(s, Regex.Escape("schedctl>")).Count >= 2, "the prompt back after Ctrl-C");

        Assert.True(seen.Count >= 2, $"percentages seen: {string.Join(", ", seen)}");
        Assert.Contains("step 1", end);
    }
}
