namespace Glassbox.Hooks;

/// <summary>"Did you mean" for hook names: nearest candidates by edit distance.</summary>
public static class NameSuggestions
{
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> candidates, int count = 3)
        => candidates
            .Select(c => (c, d: Distance(name, c)))
            .OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.c)
            .ToList();

    /// <summary>Levenshtein distance with two rows.</summary>
    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
