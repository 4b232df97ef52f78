namespace Retention;

/// <summary>The "did you mean" behind every unknown key: the known name nearest a misspelt one, if one is near enough.</summary>
internal static class NearestName
{
    /// <summary>The nearest of <paramref name="known"/> to <paramref name="given"/>, ignoring case, within a third of its length (at least two edits).</summary>
    public static string? Find(string given, IEnumerable<string> known)
    {
        var nearest = known.Select(k => (Name: k, Distance: Distance(given.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(k => k.Distance).FirstOrDefault();
        return nearest.Name is not null && nearest.Distance <= Math.Max(2, given.Length / 3) ? nearest.Name : null;
    }

    // Levenshtein distance, with a swap of two neighbours counted as one edit (the commonest typo).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
