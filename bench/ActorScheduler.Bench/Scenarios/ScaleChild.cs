using System.Diagnostics;
using System.Text.Json;
using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Storage;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>What a scale child process reports on its last stdout line, after <see cref="ScaleChild.ResultPrefix"/>.</summary>
public sealed record ScaleReport(
    int Registered = 0,
    double RegisterSeconds = 0,
    bool BudgetReached = false,
    string? Error = null,
    double SecondsToFirstFire = 0,
    double ResidentMiB = 0,
    double IdleCores = 0,
    double ResidentAfterIdleMiB = 0);

/// <summary>
/// The scale scenario's child processes, one system each, so that memory and start-up are those of a process
/// that does nothing else. <c>register</c>: start fresh, register the jobs, show firing, measure memory and idle
/// CPU, shut down. <c>restart</c>: start on the same data cold, report the first sentinel start (the
/// <see cref="FiredLine"/>), settle, measure again.
/// </summary>
public static class ScaleChild
{
    public const string ResultPrefix = "RESULT ";
    public const string FiredLine = "FIRED";
    public const string QuartzInstance = "bench-scale";

    /// <param name="Location">Ours: the data directory; Quartz: the connection string of its tables; Hangfire: its SQLite file or
    /// the connection string whose search path names its schema.</param>
    /// <param name="OurConnection">Ours on PostgreSQL: the connection string of the run's database (last argument, absent otherwise).</param>
    public sealed record Arguments(
        string Mode, string System, DatabaseKind Kind, string Location, int Jobs, TimeSpan Budget, TimeSpan Idle, TimeSpan Settle,
        string? OurConnection = null)
    {
        public IEnumerable<string> ToArgs() =>
        [
            "--child", Mode, System, Kind.ToString(), Location, Jobs.ToString(),
            ((int)Budget.TotalSeconds).ToString(), ((int)Idle.TotalSeconds).ToString(), ((int)Settle.TotalSeconds).ToString(),
            .. OurConnection is null ? Array.Empty<string>() : [OurConnection],
        ];

        public static Arguments Parse(IReadOnlyList<string> args) => new(
            args[1], args[2], Enum.Parse<DatabaseKind>(args[3]), args[4], int.Parse(args[5]),
            TimeSpan.FromSeconds(int.Parse(args[6])), TimeSpan.FromSeconds(int.Parse(args[7])), TimeSpan.FromSeconds(int.Parse(args[8])),
            args.Count > 9 ? args[9] : null);
    }

    /// <param name="protocol">The process's real stdout (Console.Out is redirected to stderr).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter protocol)
    {
        var arguments = Arguments.Parse(args);
        var clock = Stopwatch.StartNew();
        var fires = new FireLog();
        ScaleReport report;
        await using (var system = await StartAsync(arguments, fires))
        {
            report = arguments.Mode == "register"
                ? await RegisterAsync(arguments, system, fires)
                : await RestartAsync(arguments, fires, clock, protocol);
        }
        await protocol.WriteLineAsync(ResultPrefix + JsonSerializer.Serialize(report));
        await protocol.FlushAsync();
        return report.Error is null ? 0 : 1;
    }

    private static async Task<ISchedulerUnderTest> StartAsync(Arguments arguments, FireLog fires) => arguments.System switch
    {
        "ours" => await OurSystem.StartAsync(new OurDatabase(arguments.Kind, arguments.Location, arguments.OurConnection), fires),
        "hangfire" => await HangfireSystem.StartAsync(new HangfireDatabase(arguments.Kind, arguments.Location), fires, QuartzInstance),
        _ => await QuartzSystem.StartAsync(new QuartzDatabase(arguments.Kind, arguments.Location), fires, QuartzInstance),
    };

    private static async Task<ScaleReport> RegisterAsync(Arguments arguments, ISchedulerUnderTest system, FireLog fires)
    {
        var jobs = new ScaleJobs(arguments.Jobs, DateTimeOffset.UtcNow);
        var registered = await system.CreateManyAsync(jobs, SetUp.Concurrency, arguments.Budget);
        Progress.Say($"  scale {arguments.System}: {registered.Created:N0} registered in {registered.Elapsed.TotalSeconds:F0} s");
        var firing = await fires.First(ScaleJobs.SentinelGroup).WaitAsync(TimeSpan.FromMinutes(1)).ContinueWith(t => t.IsCompletedSuccessfully);
        var resident = ProcessMeter.ResidentMiB();
        var idle = await ProcessMeter.IdleCoresAsync(arguments.Idle);
        return new ScaleReport(
            registered.Created, registered.Elapsed.TotalSeconds, registered.TimedOut,
            firing ? registered.FirstError : "the sentinel job did not run within a minute of registration",
            ResidentMiB: resident, IdleCores: idle, ResidentAfterIdleMiB: ProcessMeter.ResidentMiB());
    }

    private static async Task<ScaleReport> RestartAsync(Arguments arguments, FireLog fires, Stopwatch clock, TextWriter protocol)
    {
        var first = fires.First(ScaleJobs.SentinelGroup);
        if (await Task.WhenAny(first, Task.Delay(TimeSpan.FromMinutes(2))) != first)
            return new ScaleReport(Error: "the sentinel job did not run within two minutes of the restart");
        var toFire = clock.Elapsed.TotalSeconds;
        await protocol.WriteLineAsync(FiredLine);
        await protocol.FlushAsync();
        await Task.Delay(arguments.Settle);
        var resident = ProcessMeter.ResidentMiB();
        var idle = await ProcessMeter.IdleCoresAsync(arguments.Idle);
        return new ScaleReport(SecondsToFirstFire: toFire, ResidentMiB: resident, IdleCores: idle, ResidentAfterIdleMiB: ProcessMeter.ResidentMiB());
    }
}
