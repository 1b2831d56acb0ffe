using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Glassbox.Tensors;

/// <summary>
/// The 6×16 AVX2/FMA micro-kernel: C[0..rows, 0..16] (op)= Apanel·Bpanel over one K block, with the
/// whole tile held in 12 <c>Vector256&lt;float&gt;</c> accumulators. Per k step it loads one 16-float row
/// of the B panel (2 vectors) and broadcasts 6 values of the A panel: 12 FMAs for 8 loads, so the two
/// FMA pipes, not memory, are the limit.
/// </summary>
/// <remarks>
/// Write-back contract (shared with <see cref="GemmPortableKernel"/>): C = acc (+ C when
/// <c>accumulate</c>) (+ bias[0..16] broadcast over rows when <c>bias</c> is not null), in that order.
/// The bias is fused here, on the first K block, rather than added by a separate pass so C is not
/// streamed through memory one extra time.
/// </remarks>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Whether this CPU and runtime can run the kernel.</summary>
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>
    /// Runs the kernel for a tile of <paramref name="rows"/> (1..6) rows and 16 columns.
    /// <paramref name="a"/>: MR-row panel (k-major, MR floats per k); <paramref name="b"/>: NR-column panel.
    /// </summary>
    public static void Run(int rows, int depth, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias)
    {
        // One specialisation per row count: a partial tile (M not a multiple of 6, or M = 1 when
        // decoding a single token) costs only the FMAs it needs instead of a full 6-row tile.
        switch (rows)
        {
            case 6: Run<Rows6>(depth, a, b, c, ldc, accumulate, bias); break;
            case 5: Run<Rows5>(depth, a, b, c, ldc, accumulate, bias); break;
            case 4: Run<Rows4>(depth, a, b, c, ldc, accumulate, bias); break;
            case 3: Run<Rows3>(depth, a, b, c, ldc, accumulate, bias); break;
            case 2: Run<Rows2>(depth, a, b, c, ldc, accumulate, bias); break;
            case 1: Run<Rows1>(depth, a, b, c, ldc, accumulate, bias); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "A micro-tile has 1 to 6 rows.");
        }
    }

    // TRows is a struct, so the JIT compiles a separate body per row count and folds every
    // `TRows.Count > i` test to a constant: unused accumulators and their FMAs vanish.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRows>(int depth, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias)
        where TRows : struct, IRowCount
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;

        for (int k = 0; k < depth; k++, a += GemmBlocking.MR, b += GemmBlocking.NR)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            if (TRows.Count > 1)
            {
                x = Avx.BroadcastScalarToVector256(a + 1);
                c10 = Fma.MultiplyAdd(x, b0, c10);
                c11 = Fma.MultiplyAdd(x, b1, c11);
            }
            if (TRows.Count > 2)
            {
                x = Avx.BroadcastScalarToVector256(a + 2);
                c20 = Fma.MultiplyAdd(x, b0, c20);
                c21 = Fma.MultiplyAdd(x, b1, c21);
            }
            if (TRows.Count > 3)
            {
                x = Avx.BroadcastScalarToVector256(a + 3);
                c30 = Fma.MultiplyAdd(x, b0, c30);
                c31 = Fma.MultiplyAdd(x, b1, c31);
            }
            if (TRows.Count > 4)
            {
                x = Avx.BroadcastScalarToVector256(a + 4);
                c40 = Fma.MultiplyAdd(x, b0, c40);
                c41 = Fma.MultiplyAdd(x, b1, c41);
            }
            if (TRows.Count > 5)
            {
                x = Avx.BroadcastScalarToVector256(a + 5);
                c50 = Fma.MultiplyAdd(x, b0, c50);
                c51 = Fma.MultiplyAdd(x, b1, c51);
            }
        }

        Vector256<float> bias0 = default, bias1 = default;
        bool hasBias = bias != null;
        if (hasBias)
        {
            bias0 = Avx.LoadVector256(bias);
            bias1 = Avx.LoadVector256(bias + 8);
        }

        WriteRow(c00, c01, c, accumulate, hasBias, bias0, bias1);
        if (TRows.Count > 1) WriteRow(c10, c11, c + ldc, accumulate, hasBias, bias0, bias1);
        if (TRows.Count > 2) WriteRow(c20, c21, c + 2 * ldc, accumulate, hasBias, bias0, bias1);
        if (TRows.Count > 3) WriteRow(c30, c31, c + 3 * ldc, accumulate, hasBias, bias0, bias1);
        if (TRows.Count > 4) WriteRow(c40, c41, c + 4 * ldc, accumulate, hasBias, bias0, bias1);
        if (TRows.Count > 5) WriteRow(c50, c51, c + 5 * ldc, accumulate, hasBias, bias0, bias1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow(Vector256<float> lo, Vector256<float> hi, float* c, bool accumulate, bool hasBias, Vector256<float> bias0, Vector256<float> bias1)
    {
        if (accumulate)
        {
            lo = Avx.Add(lo, Avx.LoadVector256(c));
            hi = Avx.Add(hi, Avx.LoadVector256(c + 8));
        }
        if (hasBias)
        {
            lo = Avx.Add(lo, bias0);
            hi = Avx.Add(hi, bias1);
        }
        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }

    /// <summary>Compile-time row count for the kernel specialisations.</summary>
    private interface IRowCount { static abstract int Count { get; } }
    private struct Rows1 : IRowCount { public static int Count => 1; }
    private struct Rows2 : IRowCount { public static int Count => 2; }
    private struct Rows3 : IRowCount { public static int Count => 3; }
    private struct Rows4 : IRowCount { public static int Count => 4; }
    private struct Rows5 : IRowCount { public static int Count => 5; }
    private struct Rows6 : IRowCount { public static int Count => 6; }
}
