using Glassbox.Hooks;

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
        return NameSuggestions.Distance(wanted, candidate);
    }
}
