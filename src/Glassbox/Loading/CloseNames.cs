namespace Glassbox.Loading;

/// <summary>
/// Suggests known names close to a wanted one, for "unknown name" errors: names that contain it or
/// are contained in it (a missing or extra prefix such as "transformer."), then small edit distances.
/// </summary>
internal static class CloseNames
{
    public static IReadOnlyList<string> Find(string wanted, IEnumerable<string> candidates, int max = 5)
    {
        int limit = Math.Max(3, wanted.Length / 3);
        return candidates
            .Select(c => (Name: c, Score: Score(wanted, c)))
            .Where(x => x.Score <= limit)
            .OrderBy(x => x.Score)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    /// <summary>A sentence for an error message: close names, or else a few of the known ones.</summary>
    public static string Describe(string wanted, IReadOnlyCollection<string> candidates)
    {
        if (candidates.Count == 0)
            return "There are no tensors.";
        IReadOnlyList<string> close = Find(wanted, candidates);
        return close.Count > 0
            ? $"Did you mean {Quote(close)}?"
            : $"There are {candidates.Count} tensors, e.g. {Quote(candidates.Take(5))}.";
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static int Score(string wanted, string candidate)
    {
        // Containment only counts for names long enough to mean something ("a" is in everything).
        bool longEnough = Math.Min(wanted.Length, candidate.Length) >= 3;
        if (longEnough && (candidate.Contains(wanted, StringComparison.OrdinalIgnoreCase) || wanted.Contains(candidate, StringComparison.OrdinalIgnoreCase)))
            return 1;
        return Levenshtein(wanted, candidate);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
