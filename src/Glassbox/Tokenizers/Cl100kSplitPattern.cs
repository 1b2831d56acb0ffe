namespace Glassbox.Tokenizers;

/// <summary>
/// The Llama 3 / Qwen pre-tokenization pattern
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
/// (with <c>\p{N}</c> instead of <c>\p{N}{1,3}</c> for Qwen) as a scanner over code points. The contractions
/// match case-insensitively with Unicode simple case folding, as Oniguruma and Rust's regex do, so
/// <c>'ſ</c> (long s) counts as <c>'s</c>.
/// </summary>
internal sealed class Cl100kSplitPattern : SplitPattern
{
    private readonly int maxDigits;

    public Cl100kSplitPattern(string pattern, int maxDigits)
    {
        Pattern = pattern;
        this.maxDigits = maxDigits;
    }

    public override string Pattern { get; }

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

    private int MatchAt(ReadOnlySpan<char> text, int i)
    {
        int n = text.Length;
        char c = text[i];

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (c == '\'' && i + 1 < n)
        {
            char c1 = Fold(text[i + 1]);
            if (c1 is 's' or 't' or 'm' or 'd') return i + 2;
            if (i + 2 < n)
            {
                char c2 = Fold(text[i + 2]);
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return i + 3;
            }
        }

        CharClass cls = CharClasses.At(text, i, out int width);

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == CharClass.Letter) return CharClasses.EndOfRun(text, i, CharClass.Letter);
        if (cls != CharClass.Number && c != '\r' && c != '\n' && i + width < n
            && CharClasses.At(text, i + width, out _) == CharClass.Letter)
        {
            return CharClasses.EndOfRun(text, i + width, CharClass.Letter);
        }

        // \p{N}{1,maxDigits}
        if (cls == CharClass.Number)
        {
            int end = i;
            for (int k = 0; k < maxDigits && end < n && CharClasses.At(text, end, out int w) == CharClass.Number; k++) end += w;
            return end;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int start = c == ' ' && i + 1 < n ? i + 1 : i;
        if (CharClasses.At(text, start, out _) == CharClass.Other)
        {
            int end = CharClasses.EndOfRun(text, start, CharClass.Other);
            while (end < n && text[end] is '\r' or '\n') end++;
            return end;
        }

        // c is whitespace from here on.
        int runEnd = CharClasses.EndOfRun(text, i, CharClass.WhiteSpace);

        // \s*[\r\n]+: up to and including the last line break of the whitespace run.
        for (int p = runEnd - 1; p >= i; p--)
        {
            if (text[p] is '\r' or '\n') return p + 1;
        }

        // \s+(?!\S) then \s+
        if (runEnd == n) return n;
        return runEnd - i >= 2 ? runEnd - 1 : runEnd;
    }

    /// <summary>Simple case folding, as far as the contraction letters need it.</summary>
    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        '\u017F' => 's',
        _ => c,
    };
}
