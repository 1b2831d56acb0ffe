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

    /// <summary>Levenshtein distance (the same one the analyzer uses).</summary>
    public static int Distance(string a, string b) => EditDistance.Levenshtein(a, b);
}
