namespace ActorScheduler.Dashboard.Tests;

/// <summary>The dashboard's hash routes (app.js), for <see cref="BrowserSession.GoToAsync"/> and for links a spec expects.</summary>
public static class DashboardRoutes
{
    public const string Overview = "#/";
    public const string Jobs = "#/jobs";
    public const string NewJob = "#/new";
    public const string Queues = "#/queues";

    public static string Queue(string name) => "#/queues/" + Uri.EscapeDataString(name);

    public static string Job(string jobId) => "#/jobs/" + Uri.EscapeDataString(jobId);

    public static string Run(string runId) => "#/runs/" + Uri.EscapeDataString(runId);
}
