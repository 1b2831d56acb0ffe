using System.Text.RegularExpressions;

namespace Glassbox.Tokenizers;

/// <summary>
/// A split pattern without a hand-written scanner, run by .NET's regex engine. .NET's <c>\s</c> is the
/// Unicode White_Space set like Oniguruma's, but its classes see UTF-16 units: a character outside the BMP
/// matches <c>[^...]</c> classes as two surrogates and never matches <c>\p{L}</c> or <c>\p{N}</c>.
/// </summary>
internal sealed class RegexSplitPattern : SplitPattern
{
    private readonly Regex regex;

    public RegexSplitPattern(string pattern)
    {
        Pattern = pattern;
        regex = new Regex(pattern, RegexOptions.CultureInvariant);
    }

    public override string Pattern { get; }

    public override void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches)
    {
        foreach (ValueMatch m in regex.EnumerateMatches(text))
        {
            matches.Add((m.Index, m.Index + m.Length));
        }
    }
}
