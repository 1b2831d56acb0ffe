using System.Buffers;
using System.Numerics.Tensors;

namespace Glassbox.Tensors;

/// <summary>
/// Single-precision matrix product on a packed, register-blocked micro-kernel (6×16 AVX2/FMA tiles,
/// <c>Vector128</c> fallback), split over the cores. All matrices are row-major and contiguous.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>
    /// c[M,N] = a[M,K]·B (+ bias[N] broadcast over rows when <paramref name="bias"/> is not empty);
    /// <paramref name="accumulate"/> = true adds into c instead of overwriting.
    /// </summary>
    /// <param name="a">Row-major [M,K] with K == <c>b.Rows</c>.</param>
    /// <param name="m">Rows of a and c.</param>
    /// <param name="b">The packed right-hand side [K,N].</param>
    /// <param name="c">Row-major [M,N]; must not overlap a or bias.</param>
    /// <param name="bias">Empty, or N values added to every row.</param>
    /// <param name="accumulate">Add the product into c rather than overwrite it.</param>
    /// <param name="maxThreads">-1 = all cores (<see cref="Environment.ProcessorCount"/>), 1 = the calling thread only.</param>
    public static void Multiply(ReadOnlySpan<float> a, int m, PackedMatrix b, Span<float> c, ReadOnlySpan<float> bias = default, bool accumulate = false, int maxThreads = -1) =>
        Multiply(a, m, b, c, bias, accumulate, maxThreads, GemmTuning.Default);

    /// <summary>
    /// Convenience for small or one-off products with an unpacked B (packed into a pooled buffer for
    /// the call): c[M,N] = a[M,K]·b[K,N]. Reused weights should be packed once with <see cref="PackedMatrix.Pack"/>.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> b, int n, Span<float> c, bool accumulate = false, int maxThreads = -1) =>
        Multiply(a, m, k, b, n, c, accumulate, maxThreads, GemmTuning.Default);

    internal static void Multiply(ReadOnlySpan<float> a, int m, PackedMatrix b, Span<float> c, ReadOnlySpan<float> bias, bool accumulate, int maxThreads, GemmTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        int threads = ResolveThreads(maxThreads);
        CheckLength(a, nameof(a), m, b.Rows, "m×K", "K = b.Rows");
        CheckLength(c, nameof(c), m, b.Columns, "m×N", "N = b.Columns");
        if (!bias.IsEmpty && bias.Length != b.Columns)
            throw new ArgumentException($"bias has {bias.Length} elements but b has {b.Columns} columns (N); pass an empty span for no bias.", nameof(bias));
        CheckNoOverlap(a, c, bias);

        if (m == 0 || b.Columns == 0)
            return;
        if (b.Rows == 0)
        {
            FillWithoutProduct(c, b.Columns, bias, accumulate);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            var problem = new GemmProblem
            {
                A = pa, M = m, B = b.Data, Layout = b.Layout, C = pc,
                Bias = bias.IsEmpty ? null : pbias,
                Accumulate = accumulate,
                Portable = tuning.Kernel == GemmKernelChoice.Portable || !GemmMicroKernel.IsSupported,
            };
            GemmDriver.Run(problem, threads, tuning.ParallelFlopThreshold);
        }
        GC.KeepAlive(b); // its pinned storage must outlive the raw pointer used above
    }

    internal static void Multiply(ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> b, int n, Span<float> c, bool accumulate, int maxThreads, GemmTuning tuning)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int threads = ResolveThreads(maxThreads);
        CheckLength(a, nameof(a), m, k, "m×k", null);
        CheckLength(b, nameof(b), k, n, "k×n", null);
        CheckLength(c, nameof(c), m, n, "m×n", null);
        CheckNoOverlap(a, c, default);
        if (b.Overlaps(c))
            throw new ArgumentException("c must not overlap b.", nameof(c));

        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            FillWithoutProduct(c, n, default, accumulate);
            return;
        }

        var layout = new PanelLayout(k, n);
        long packedLength = layout.Length + PinnedBuffer.AlignmentSlack;
        if (packedLength > Array.MaxLength)
            throw new ArgumentException($"b [{k},{n}] is too large to pack: {packedLength} floats exceeds the largest array .NET can allocate ({Array.MaxLength}).", nameof(b));
        float[] rented = ArrayPool<float>.Shared.Rent((int)packedLength);
        try
        {
            fixed (float* pr = rented)
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                float* packed = PinnedBuffer.AlignUp(pr);
                PackedMatrix.PackPanels(pb, transposed: false, layout, packed, layout.Length >= 1 << 20 ? threads : 1);
                var problem = new GemmProblem
                {
                    A = pa, M = m, B = packed, Layout = layout, C = pc, Bias = null,
                    Accumulate = accumulate,
                    Portable = tuning.Kernel == GemmKernelChoice.Portable || !GemmMicroKernel.IsSupported,
                };
                GemmDriver.Run(problem, threads, tuning.ParallelFlopThreshold);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static int ResolveThreads(int maxThreads)
    {
        if (maxThreads == 0 || maxThreads < -1)
            throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "maxThreads must be -1 (all cores) or at least 1.");
        // More threads than cores only adds contention to a compute-bound loop.
        return maxThreads == -1 ? Environment.ProcessorCount : Math.Min(maxThreads, Environment.ProcessorCount);
    }

    private static void CheckLength(ReadOnlySpan<float> span, string name, int rows, int columns, string shapeName, string? note)
    {
        long expected = (long)rows * columns;
        if (span.Length != expected)
        {
            string suffix = note == null ? "" : $" ({note})";
            throw new ArgumentException($"{name} has {span.Length} elements but {shapeName} = {rows}×{columns} = {expected}{suffix}.", name);
        }
    }

    private static void CheckNoOverlap(ReadOnlySpan<float> a, ReadOnlySpan<float> c, ReadOnlySpan<float> bias)
    {
        // The kernel writes C while later tiles still read A and bias: aliasing would corrupt the result.
        if (a.Overlaps(c))
            throw new ArgumentException("c must not overlap a.", nameof(c));
        if (bias.Overlaps(c))
            throw new ArgumentException("c must not overlap bias.", nameof(c));
    }

    // K = 0: the product is all zeros, so c becomes bias (or 0), or gets bias added when accumulating.
    private static void FillWithoutProduct(Span<float> c, int n, ReadOnlySpan<float> bias, bool accumulate)
    {
        if (bias.IsEmpty)
        {
            if (!accumulate)
                c.Clear();
            return;
        }
        for (int row = 0; row < c.Length; row += n)
        {
            Span<float> r = c.Slice(row, n);
            if (accumulate)
                TensorPrimitives.Add(r, bias, r);
            else
                bias.CopyTo(r);
        }
    }
}
