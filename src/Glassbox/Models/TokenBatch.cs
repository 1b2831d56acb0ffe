using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>Pads sequences of different lengths into one [batch, pos] batch with its attention mask.</summary>
public static class TokenBatch
{
    /// <summary>Pads on the left (what generation wants: every sequence ends at the last position).</summary>
    public static (IntTensor Tokens, IntTensor Mask) LeftPad(IReadOnlyList<int[]> sequences, int padToken) => Pad(sequences, padToken, left: true);

    /// <summary>Pads on the right.</summary>
    public static (IntTensor Tokens, IntTensor Mask) RightPad(IReadOnlyList<int[]> sequences, int padToken) => Pad(sequences, padToken, left: false);

    /// <summary>The batch repeated <paramref name="times"/> times along the batch axis (one copy per variant of a sweep).</summary>
    public static IntTensor Repeat(IntTensor tokens, int times)
    {
        var data = new int[tokens.Length * times];
        for (int g = 0; g < times; g++) tokens.Span.CopyTo(data.AsSpan(g * tokens.Length));
        return new IntTensor(data, tokens.Dim(0) * times, tokens.Dim(1));
    }

    static (IntTensor, IntTensor) Pad(IReadOnlyList<int[]> sequences, int padToken, bool left)
    {
        if (sequences.Count == 0) throw new ArgumentException("No sequences given.");
        int n = sequences.Max(s => s.Length);
        var tokens = new int[sequences.Count * n];
        var mask = new int[sequences.Count * n];
        for (int b = 0; b < sequences.Count; b++)
        {
            var s = sequences[b];
            int offset = left ? n - s.Length : 0;
            for (int p = 0; p < n; p++)
            {
                bool real = p >= offset && p < offset + s.Length;
                tokens[b * n + p] = real ? s[p - offset] : padToken;
                mask[b * n + p] = real ? 1 : 0;
            }
        }
        return (new IntTensor(tokens, sequences.Count, n), new IntTensor(mask, sequences.Count, n));
    }
}
