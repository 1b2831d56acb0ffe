namespace Glassbox.Tensors;

/// <summary>
/// Rotary position embeddings. Each pair of dimensions of the first <c>rotaryDim</c> of a head is
/// rotated by angle <c>pos / base^(2j/rotaryDim)</c>. Two layouts pair the dimensions differently:
/// Hugging Face / NeoX <c>rotate_half</c> pairs (j, j + rotaryDim/2); GPT-J / llama2.c adjacent
/// pairs (2j, 2j+1). Dimensions past <c>rotaryDim</c> pass through (partial rotary).
/// </summary>
public sealed class Rotary
{
    readonly int _half;
    readonly float _base;
    volatile float[][] _cos = [];
    volatile float[][] _sin = [];
    readonly object _grow = new();

    public Rotary(int rotaryDim, float rotaryBase, bool adjacentPairs)
    {
        if (rotaryDim <= 0 || rotaryDim % 2 != 0) throw new ArgumentException($"rotary_dim must be positive and even; got {rotaryDim}.");
        RotaryDim = rotaryDim;
        _half = rotaryDim / 2;
        _base = rotaryBase;
        AdjacentPairs = adjacentPairs;
    }

    public int RotaryDim { get; }
    public bool AdjacentPairs { get; }

    /// <summary>Rotates x [batch, pos, heads, d_head] in place; <paramref name="positions"/> holds one position per (batch, pos).</summary>
    public void Apply(Tensor x, ReadOnlySpan<int> positions)
    {
        int heads = x.Dim(2), dh = x.Dim(3), rows = x.Dim(0) * x.Dim(1);
        if (RotaryDim > dh) throw new ArgumentException($"rotary_dim {RotaryDim} exceeds d_head {dh}.");
        int maxPos = 0;
        foreach (int p in positions) maxPos = Math.Max(maxPos, p);
        var (cosTable, sinTable) = Tables(maxPos + 1);
        var data = x.Span;
        for (int r = 0; r < rows; r++)
        {
            var cos = cosTable[positions[r]];
            var sin = sinTable[positions[r]];
            for (int h = 0; h < heads; h++)
            {
                var v = data.Slice((r * heads + h) * dh, dh);
                for (int j = 0; j < _half; j++)
                {
                    int a = AdjacentPairs ? 2 * j : j, b = AdjacentPairs ? 2 * j + 1 : j + _half;
                    float x0 = v[a], x1 = v[b];
                    v[a] = x0 * cos[j] - x1 * sin[j];
                    v[b] = x1 * cos[j] + x0 * sin[j];
                }
            }
        }
    }

    /// <summary>cos/sin per position and frequency, grown on demand and shared by concurrent runs.</summary>
    (float[][] Cos, float[][] Sin) Tables(int positions)
    {
        var cos = _cos;
        var sin = _sin;
        if (cos.Length >= positions) return (cos, sin);
        lock (_grow)
        {
            if (_cos.Length >= positions) return (_cos, _sin);
            int n = Math.Max(positions, Math.Max(2 * _cos.Length, 64));
            var newCos = new float[n][];
            var newSin = new float[n][];
            for (int p = 0; p < n; p++)
            {
                newCos[p] = new float[_half];
                newSin[p] = new float[_half];
                for (int j = 0; j < _half; j++)
                {
                    // float32 frequencies and angles, as PyTorch computes them, so long contexts match references.
                    float invFreq = 1f / (float)Math.Pow(_base, (float)(2 * j) / RotaryDim);
                    float angle = p * invFreq;
                    newCos[p][j] = (float)Math.Cos(angle);
                    newSin[p][j] = (float)Math.Sin(angle);
                }
            }
            _sin = newSin;
            _cos = newCos;
            return (newCos, newSin);
        }
    }
}
