namespace Glassbox.Analysis;

/// <summary>
/// Running statistics of one hook point over everything seen: of all its elements, and per unit of
/// its last axis (a neuron, a latent, a residual dimension). Welford updates in double precision,
/// so memory stays at a few arrays of the last axis's width however many batches pass.
/// </summary>
public sealed class HookStatistics
{
    readonly double[] _unitMean;
    readonly double[] _unitM2;
    readonly long[] _unitActive;
    double _sum, _sumSquares;
    long _zeros;

    internal HookStatistics(string name, int width, float sparsityThreshold)
    {
        Name = name;
        Width = width;
        SparsityThreshold = sparsityThreshold;
        _unitMean = new double[width];
        _unitM2 = new double[width];
        _unitActive = new long[width];
    }

    public string Name { get; }
    public int Width { get; }
    public float SparsityThreshold { get; }

    /// <summary>Vectors seen (rows of the last axis).</summary>
    public long Rows { get; private set; }
    public long Count => Rows * Width;
    public double Mean => Count == 0 ? double.NaN : _sum / Count;
    public double Std => Count == 0 ? double.NaN : Math.Sqrt(Math.Max(_sumSquares / Count - Mean * Mean, 0));
    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Fraction of elements with |x| ≤ the sparsity threshold.</summary>
    public double Sparsity => Count == 0 ? double.NaN : (double)_zeros / Count;

    public double UnitMean(int unit) => _unitMean[unit];
    public double UnitVariance(int unit) => Rows < 2 ? 0 : _unitM2[unit] / Rows;

    /// <summary>How many rows had this unit above the sparsity threshold.</summary>
    public long UnitActiveCount(int unit) => _unitActive[unit];

    internal void Add(ReadOnlySpan<float> values)
    {
        for (int r = 0; r < values.Length / Width; r++)
        {
            var row = values.Slice(r * Width, Width);
            Rows++;
            for (int i = 0; i < Width; i++)
            {
                float v = row[i];
                _sum += v;
                _sumSquares += (double)v * v;
                if (v < Min) Min = v;
                if (v > Max) Max = v;
                if (Math.Abs(v) <= SparsityThreshold) _zeros++;
                if (v > SparsityThreshold) _unitActive[i]++;
                double delta = v - _unitMean[i];
                _unitMean[i] += delta / Rows;
                _unitM2[i] += delta * (v - _unitMean[i]);
            }
        }
    }
}
