namespace Glassbox.Tokenizers;

/// <summary>
/// GPT-2's pre-tokenization pattern <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// as a scanner over code points. At each position the alternatives are tried in order, with the regex's
/// backtracking worked out by hand: a whitespace run followed by a non-space gives all but its last
/// character (<c>\s+(?!\S)</c>), so that character can lead the next word.
/// </summary>
internal sealed class Gpt2SplitPattern : SplitPattern
{
    public static readonly Gpt2SplitPattern Instance = new();

    private Gpt2SplitPattern()
    {
    }

    public override string Pattern => Gpt2;

    public override void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches)
    {
        int i = 0;
        while (i < text.Length)
        {
            int end = MatchAt(text, i);
            matches.Add((i, end));
            i = end;
        }
    }

    private static int MatchAt(ReadOnlySpan<char> text, int i)
    {
        int n = text.Length;
        char c = text[i];

        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive)
        if (c == '\'' && i + 1 < n)
        {
            char c1 = text[i + 1];
            if (c1 is 's' or 't' or 'm' or 'd') return i + 2;
            if (i + 2 < n)
            {
                char c2 = text[i + 2];
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return i + 3;
            }
        }

        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': an optional leading space, then a run of one class.
        // Without the space, a space cannot start any of the three, so only the with-space form is possible.
        int start = c == ' ' && i + 1 < n ? i + 1 : i;
        CharClass cls = CharClasses.At(text, start, out _);
        if (cls != CharClass.WhiteSpace) return CharClasses.EndOfRun(text, start, cls);

        // \s+(?!\S) then \s+ (c is whitespace here).
        int runEnd = CharClasses.EndOfRun(text, i, CharClass.WhiteSpace);
        if (runEnd == n) return n;
        return runEnd - i >= 2 ? runEnd - 1 : runEnd;
    }
}
