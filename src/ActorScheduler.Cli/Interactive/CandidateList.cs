namespace ActorScheduler.Cli.Interactive;

/// <summary>Several completion candidates laid out in columns under the prompt, and the prefix they share.</summary>
internal static class CandidateList
{
    public static string CommonPrefix(IReadOnlyList<string> candidates)
    {
        var prefix = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            var length = 0;
            while (length < prefix.Length && length < candidate.Length && prefix[length] == candidate[length])
                length++;
            prefix = prefix[..length];
        }
        return prefix;
    }

    public static IEnumerable<string> Rows(IReadOnlyList<string> candidates, int width)
    {
        var cell = candidates.Max(c => c.Length) + 2;
        var perRow = Math.Max(1, width / cell);
        for (var start = 0; start < candidates.Count; start += perRow)
            yield return string.Concat(candidates.Skip(start).Take(perRow).Select(c => c.PadRight(cell))).TrimEnd();
    }
}
