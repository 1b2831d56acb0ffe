using System.Buffers;
using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>A token matched as a whole string in the text, before any other processing.</summary>
/// <param name="Content">The text that stands for the token.</param>
/// <param name="Id">Its id.</param>
/// <param name="SingleWord">Only matches when not inside a word (no letter, digit or underscore on either side).</param>
/// <param name="LeftStrip">The match also takes the whitespace before it.</param>
/// <param name="RightStrip">The match also takes the whitespace after it.</param>
internal sealed record SpecialTokenPattern(string Content, int Id, bool SingleWord = false, bool LeftStrip = false, bool RightStrip = false);

/// <summary>A stretch of text: either a matched special token (<see cref="TokenId"/> ≥ 0) or plain text (-1).</summary>
internal readonly record struct TextSegment(int Start, int End, int TokenId)
{
    public bool IsToken => TokenId >= 0;
}

/// <summary>
/// Finds special (added) tokens in text, leftmost first and longest at the same start, as the Aho–Corasick
/// matcher of Hugging Face's added vocabulary does, with its <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c> rules.
/// </summary>
internal sealed class SpecialTokenMatcher
{
    private readonly Dictionary<char, SpecialTokenPattern[]> byFirstChar;
    private readonly SearchValues<char> firstChars;

    public SpecialTokenMatcher(IEnumerable<SpecialTokenPattern> patterns)
    {
        byFirstChar = patterns
            .Where(p => p.Content.Length > 0)
            .GroupBy(p => p.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Content.Length).ToArray());
        firstChars = SearchValues.Create(byFirstChar.Keys.ToArray());
    }

    public bool IsEmpty => byFirstChar.Count == 0;

    /// <summary>Appends the segments of <paramref name="text"/> in order; empty stretches of plain text are left out.</summary>
    public void Split(ReadOnlySpan<char> text, List<TextSegment> output)
    {
        int n = text.Length;
        int plainStart = 0;
        int i = 0;
        while (i < n)
        {
            int found = text[i..].IndexOfAny(firstChars);
            if (found < 0) break;
            i += found;
            SpecialTokenPattern? match = null;
            foreach (SpecialTokenPattern candidate in byFirstChar[text[i]])
            {
                if (text[i..].StartsWith(candidate.Content, StringComparison.Ordinal))
                {
                    match = candidate;
                    break;
                }
            }
            if (match is null)
            {
                i++;
                continue;
            }

            int start = i;
            int stop = i + match.Content.Length;
            if (match.SingleWord && (EndsWithWordChar(text[..start]) || StartsWithWordChar(text[stop..])))
            {
                i = stop;
                continue;
            }
            if (match.LeftStrip)
            {
                int s = start;
                while (s > 0 && char.IsWhiteSpace(text[s - 1])) s--;
                start = Math.Max(s, plainStart);
            }
            if (match.RightStrip)
            {
                while (stop < n && char.IsWhiteSpace(text[stop])) stop++;
            }

            if (plainStart < start) output.Add(new TextSegment(plainStart, start, -1));
            output.Add(new TextSegment(start, stop, match.Id));
            plainStart = stop;
            i = stop;
        }
        if (plainStart < n) output.Add(new TextSegment(plainStart, n, -1));
    }

    private static bool EndsWithWordChar(ReadOnlySpan<char> text) =>
        !text.IsEmpty && Rune.DecodeLastFromUtf16(text, out Rune r, out _) == OperationStatus.Done && IsWordChar(r);

    private static bool StartsWithWordChar(ReadOnlySpan<char> text) =>
        !text.IsEmpty && Rune.DecodeFromUtf16(text, out Rune r, out _) == OperationStatus.Done && IsWordChar(r);

    private static bool IsWordChar(Rune r) => Rune.IsLetterOrDigit(r) || r.Value == '_';
}
