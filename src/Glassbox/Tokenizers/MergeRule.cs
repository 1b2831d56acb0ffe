namespace Glassbox.Tokenizers;

/// <summary>
/// One line of a BPE merge list, kept as the text it came in so that loading a large list does not cut every
/// line into two new strings: the left token is <c>Text[..LeftLength]</c>, the right one
/// <c>Text[RightStart..]</c> (a "left right" line has the space between them; a [left, right] pair is stored
/// as the concatenation, so RightStart = LeftLength).
/// </summary>
internal readonly record struct MergeRule(string Text, int LeftLength, int RightStart)
{
    public static MergeRule FromLine(string line, int space) => new(line, space, space + 1);

    public static MergeRule FromPair(string left, string right) => new(left + right, left.Length, left.Length);

    public ReadOnlySpan<char> Left => Text.AsSpan(0, LeftLength);

    public ReadOnlySpan<char> Right => Text.AsSpan(RightStart);

    public override string ToString() => $"{Left} {Right}";
}
