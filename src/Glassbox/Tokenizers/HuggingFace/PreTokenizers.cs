using System.Globalization;
using System.Text;

namespace Glassbox.Tokenizers.HuggingFace;

/// <summary>
/// A stretch of text on its way to the model. <see cref="AtStart"/> is true when it begins at offset 0 of the
/// original text (what Metaspace's <c>prepend_scheme: "first"</c> asks).
/// </summary>
internal readonly record struct Piece(string Text, bool AtStart);

/// <summary>How a split keeps the matches of its pattern (Hugging Face <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

/// <summary>A tokenizer.json <c>pre_tokenizer</c>: cuts each piece into smaller pieces (and may rewrite them).</summary>
internal abstract class PreTokenizer
{
    /// <summary>Appends the pieces <paramref name="piece"/> becomes; empty pieces are left out.</summary>
    public abstract void Split(Piece piece, List<Piece> output);

    /// <summary>
    /// Cuts <paramref name="piece"/> at the given matches as the Hugging Face library's
    /// <c>NormalizedString::split</c> does: the text is a run of matches and the gaps between them, which the
    /// behaviour keeps apart, drops or joins to a neighbour.
    /// </summary>
    protected static void SplitAtMatches(Piece piece, List<(int Start, int End)> matches, SplitBehavior behavior, bool invert, List<Piece> output)
    {
        string text = piece.Text;
        var spans = new List<(int Start, int End, bool IsMatch)>(matches.Count * 2 + 1);
        int previous = 0;
        foreach (var (start, end) in matches)
        {
            if (previous < start) spans.Add((previous, start, invert));
            spans.Add((start, end, !invert));
            previous = end;
        }
        if (previous < text.Length) spans.Add((previous, text.Length, invert));

        var kept = new List<(int Start, int End)>(spans.Count);
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var s in spans) kept.Add((s.Start, s.End));
                break;
            case SplitBehavior.Removed:
                foreach (var s in spans)
                {
                    if (!s.IsMatch) kept.Add((s.Start, s.End));
                }
                break;
            case SplitBehavior.Contiguous:
            {
                bool previousMatch = false;
                foreach (var s in spans)
                {
                    if (s.IsMatch == previousMatch && kept.Count > 0) kept[^1] = (kept[^1].Start, s.End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithPrevious:
            {
                bool previousMatch = false;
                foreach (var s in spans)
                {
                    if (s.IsMatch && !previousMatch && kept.Count > 0) kept[^1] = (kept[^1].Start, s.End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithNext:
            {
                bool previousMatch = false;
                for (int k = spans.Count - 1; k >= 0; k--)
                {
                    var s = spans[k];
                    if (s.IsMatch && !previousMatch && kept.Count > 0) kept[^1] = (s.Start, kept[^1].End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                kept.Reverse();
                break;
            }
        }

        foreach (var (start, end) in kept)
        {
            if (end > start) output.Add(new Piece(start == 0 && end == text.Length ? text : text[start..end], piece.AtStart && start == 0));
        }
    }

    /// <summary>Every code point satisfying <paramref name="predicate"/> as a match of its own.</summary>
    protected static List<(int Start, int End)> CodePointMatches(string text, Func<Rune, bool> predicate)
    {
        var matches = new List<(int, int)>();
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int width);
            if (predicate(rune)) matches.Add((i, i + width));
            i += width;
        }
        return matches;
    }

    /// <summary>The non-overlapping occurrences of <paramref name="literal"/>.</summary>
    protected static List<(int Start, int End)> LiteralMatches(string text, string literal)
    {
        var matches = new List<(int, int)>();
        if (literal.Length == 0) return matches;
        int at = 0;
        while ((at = text.IndexOf(literal, at, StringComparison.Ordinal)) >= 0)
        {
            matches.Add((at, at + literal.Length));
            at += literal.Length;
        }
        return matches;
    }
}

/// <summary><c>Sequence</c>: each pre-tokenizer runs on all the pieces the previous one made.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> steps) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output)
    {
        var current = new List<Piece> { piece };
        var next = new List<Piece>();
        foreach (PreTokenizer step in steps)
        {
            next.Clear();
            foreach (Piece p in current) step.Split(p, next);
            (current, next) = (next, current);
        }
        output.AddRange(current);
    }
}

/// <summary>
/// <c>ByteLevel</c>: optionally a space in front, optionally GPT-2's split pattern, then every piece's UTF-8
/// bytes written in the byte-level alphabet.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output)
    {
        string text = addPrefixSpace && !piece.Text.StartsWith(' ') ? " " + piece.Text : piece.Text;
        if (!useRegex)
        {
            output.Add(piece with { Text = ByteLevelAlphabet.Encode(text) });
            return;
        }
        var matches = new List<(int Start, int End)>();
        Gpt2SplitPattern.Instance.FindMatches(text, matches);
        // The pattern covers every character, so its matches are the pieces.
        foreach (var (start, end) in matches)
        {
            output.Add(new Piece(ByteLevelAlphabet.Encode(text.AsSpan(start, end - start)), piece.AtStart && start == 0));
        }
    }
}

/// <summary><c>Split</c>: cuts at the matches of a string or a regex, kept as <see cref="SplitBehavior"/> says, optionally inverted.</summary>
internal sealed class SplitPreTokenizer : PreTokenizer
{
    private readonly string? literal;
    private readonly SplitPattern? pattern;
    private readonly SplitBehavior behavior;
    private readonly bool invert;

    public SplitPreTokenizer(string? literal, SplitPattern? pattern, SplitBehavior behavior, bool invert)
    {
        this.literal = literal;
        this.pattern = pattern;
        this.behavior = behavior;
        this.invert = invert;
    }

    public override void Split(Piece piece, List<Piece> output)
    {
        List<(int Start, int End)> matches;
        if (literal is not null)
        {
            matches = LiteralMatches(piece.Text, literal);
        }
        else
        {
            matches = new List<(int, int)>();
            pattern!.FindMatches(piece.Text, matches);
        }
        SplitAtMatches(piece, matches, behavior, invert, output);
    }
}

/// <summary>Where Metaspace puts its replacement character in front of a piece.</summary>
internal enum PrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>
/// <c>Metaspace</c>: spaces become the replacement character (▁); it is put in front of a piece that does not
/// already start with it (every piece, only the one at the start of the text, or never); with <c>split</c> the
/// piece is cut before every ▁.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output)
    {
        string text = piece.Text.Replace(' ', replacement);
        bool prepend = scheme switch
        {
            PrependScheme.Always => true,
            PrependScheme.First => piece.AtStart,
            _ => false,
        };
        if (prepend && !text.StartsWith(replacement)) text = replacement + text;
        var rewritten = piece with { Text = text };
        if (!split)
        {
            output.Add(rewritten);
            return;
        }
        SplitAtMatches(rewritten, CodePointMatches(text, r => r.Value == replacement), SplitBehavior.MergedWithNext, invert: false, output);
    }
}

/// <summary><c>Digits</c>: numbers apart from the rest, one digit per piece with <c>individual_digits</c>.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output) =>
        SplitAtMatches(piece, CodePointMatches(piece.Text, IsNumeric),
            individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous, invert: false, output);

    private static bool IsNumeric(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}

/// <summary><c>WhitespaceSplit</c>: cuts at whitespace, which goes.</summary>
internal sealed class WhitespaceSplitPreTokenizer : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output) =>
        SplitAtMatches(piece, CodePointMatches(piece.Text, Rune.IsWhiteSpace), SplitBehavior.Removed, invert: false, output);
}
