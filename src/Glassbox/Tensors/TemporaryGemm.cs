// Temporary naive GEMM with the final API, replaced by the packed kernel when it lands.
namespace Glassbox.Tensors;

public sealed class PackedMatrix
{
    internal float[] Data { get; }
    public int Rows { get; }
    public int Columns { get; }
    PackedMatrix(float[] data, int rows, int columns) { Data = data; Rows = rows; Columns = columns; }
    public static PackedMatrix Pack(ReadOnlySpan<float> b, int rows, int columns) => new(b.ToArray(), rows, columns);
    public static PackedMatrix PackTransposed(ReadOnlySpan<float> bT, int rows, int columns)
    {
        var d = new float[rows * columns];
        for (int n = 0; n < columns; n++) for (int k = 0; k < rows; k++) d[k * columns + n] = bT[n * rows + k];
        return new(d, rows, columns);
    }
}

public static class Gemm
{
    public static void Multiply(ReadOnlySpan<float> a, int m, PackedMatrix b, Span<float> c, ReadOnlySpan<float> bias = default, bool accumulate = false, int maxThreads = -1)
        => Multiply(a, m, b.Rows, b.Data, b.Columns, c, bias, accumulate);

    public static void Multiply(ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> b, int n, Span<float> c, bool accumulate = false, int maxThreads = -1)
        => Multiply(a, m, k, b, n, c, default, accumulate);

    static void Multiply(ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> b, int n, Span<float> c, ReadOnlySpan<float> bias, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            if (!accumulate) { if (bias.IsEmpty) row.Clear(); else bias.CopyTo(row); }
            else if (!bias.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
            for (int p = 0; p < k; p++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[i * k + p], row, row);
        }
    }
}
