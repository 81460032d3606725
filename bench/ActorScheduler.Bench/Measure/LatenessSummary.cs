namespace ActorScheduler.Bench.Measure;

/// <summary>Nearest-rank percentiles of start lateness (actual start − scheduled time), in milliseconds.</summary>
public sealed record LatenessSummary(int Count, double P50, double P99, double Max)
{
    public static LatenessSummary? Of(IEnumerable<TimeSpan> latenesses)
    {
        var sorted = latenesses.Select(l => l.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0 ? null : new LatenessSummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
