using System.Buffers;
using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>
/// GPT-2's reversible byte ↔ character table (<c>bytes_to_unicode</c> in OpenAI's <c>encoder.py</c>): the
/// printable bytes <c>!</c>–<c>~</c>, <c>¡</c>–<c>¬</c> and <c>®</c>–<c>ÿ</c> stand for themselves, and the other
/// 68 bytes take the characters U+0100, U+0101, … in byte order (so a space is <c>Ġ</c>, a newline <c>Ċ</c>).
/// Byte-level BPE vocabularies are written in this alphabet.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] byteToChar = BuildByteToChar();
    private static readonly short[] charToByte = BuildCharToByte(byteToChar);

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char ToChar(byte b) => byteToChar[b];

    /// <summary>The byte <paramref name="c"/> stands for, or -1 when <paramref name="c"/> is not in the alphabet.</summary>
    public static int ToByte(char c) => c < charToByte.Length ? charToByte[c] : -1;

    /// <summary>The UTF-8 bytes of <paramref name="text"/> written in the alphabet (lone surrogates become U+FFFD first).</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return string.Empty;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int count = Encoding.UTF8.GetBytes(text, bytes);
            return string.Create(count, bytes[..count], static (chars, source) =>
            {
                for (int i = 0; i < chars.Length; i++) chars[i] = byteToChar[source[i]];
            });
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Appends the bytes <paramref name="token"/> stands for. Returns false, appending nothing, when a
    /// character is outside the alphabet (the caller then decides what such a token means).
    /// </summary>
    public static bool TryAppendBytes(string token, List<byte> output)
    {
        foreach (char c in token)
        {
            if (ToByte(c) < 0) return false;
        }
        foreach (char c in token) output.Add((byte)ToByte(c));
        return true;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static short[] BuildCharToByte(char[] forward)
    {
        var table = new short[forward.Max() + 1];
        Array.Fill(table, (short)-1);
        for (int b = 0; b < 256; b++) table[forward[b]] = (short)b;
        return table;
    }
}
