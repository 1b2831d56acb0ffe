using System.Globalization;
using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>
/// The four classes the GPT-style split patterns tell apart, decided per Unicode code point (not per UTF-16
/// unit, so a letter outside the BMP is a letter): <c>\p{L}</c>, <c>\p{N}</c>, <c>\s</c> (the Unicode
/// White_Space property: U+0085 is whitespace, U+FEFF is not) and everything else.
/// </summary>
internal enum CharClass : byte
{
    Other,
    Letter,
    Number,
    WhiteSpace,
}

/// <summary>Classifies the code point at a position of UTF-16 text.</summary>
internal static class CharClasses
{
    private static readonly CharClass[] ascii = BuildAscii();

    /// <summary>
    /// The class of the code point starting at <paramref name="index"/> and its length in UTF-16 units (2 for a
    /// surrogate pair; a lone surrogate counts as one unit of class <see cref="CharClass.Other"/>).
    /// </summary>
    public static CharClass At(ReadOnlySpan<char> text, int index, out int width)
    {
        char c = text[index];
        if (c < 128)
        {
            width = 1;
            return ascii[c];
        }
        if (!char.IsSurrogate(c))
        {
            width = 1;
            return Classify(new Rune(c));
        }
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return Classify(new Rune(c, text[index + 1]));
        }
        width = 1;
        return CharClass.Other;
    }

    /// <summary>The class of one code point.</summary>
    public static CharClass Classify(Rune rune)
    {
        if (rune.IsAscii) return ascii[rune.Value];
        if (Rune.IsWhiteSpace(rune)) return CharClass.WhiteSpace;
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
                return CharClass.Letter;
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return CharClass.Number;
            default:
                return CharClass.Other;
        }
    }

    /// <summary>The end (exclusive) of the run of code points of class <paramref name="cls"/> that starts at <paramref name="index"/>.</summary>
    public static int EndOfRun(ReadOnlySpan<char> text, int index, CharClass cls)
    {
        while (index < text.Length && At(text, index, out int width) == cls) index += width;
        return index;
    }

    private static CharClass[] BuildAscii()
    {
        var table = new CharClass[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = c switch
            {
                (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') => CharClass.Letter,
                >= '0' and <= '9' => CharClass.Number,
                ' ' or '\t' or '\n' or '\v' or '\f' or '\r' => CharClass.WhiteSpace,
                _ => CharClass.Other,
            };
        }
        return table;
    }
}
