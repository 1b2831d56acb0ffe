using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Glassbox.Tensors;

/// <summary>
/// Copies operands into the layouts the micro-kernel streams through: B into NR-column panels
/// (see <see cref="PanelLayout"/>), A into MR-row panels where row k holds A[i..i+MR, k] side by side.
/// Both make the kernel's inner loop read memory strictly sequentially.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    /// <summary>
    /// Packs panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>) of every K block of B.
    /// <paramref name="transposed"/> = false: <paramref name="source"/> is B row-major [K,N];
    /// true: it is Bᵀ row-major [N,K].
    /// </summary>
    public static void PackB(float* source, bool transposed, in PanelLayout layout, float* destination, int panelStart, int panelEnd)
    {
        int k = layout.Rows, n = layout.Columns;
        for (int blockStart = 0; blockStart < k; blockStart += layout.BlockDepth)
        {
            int depth = Math.Min(layout.BlockDepth, k - blockStart);
            for (int panel = panelStart; panel < panelEnd; panel++)
            {
                float* d = destination + layout.PanelOffset(blockStart, depth, panel);
                int column = panel * NR;
                int width = Math.Min(NR, n - column);
                if (transposed)
                    PackTransposedPanel(source + (long)column * k + blockStart, k, depth, width, d);
                else
                    PackPanel(source + (long)blockStart * n + column, n, depth, width, d);
            }
        }
    }

    // Row k of the panel is B[k, column..column+width): a straight copy plus zero padding.
    private static void PackPanel(float* source, long stride, int depth, int width, float* d)
    {
        for (int r = 0; r < depth; r++, source += stride, d += NR)
        {
            if (width == NR)
            {
                Vector256.Store(Vector256.Load(source), d);
                Vector256.Store(Vector256.Load(source + 8), d + 8);
            }
            else
            {
                new ReadOnlySpan<float>(source, width).CopyTo(new Span<float>(d, NR));
                new Span<float>(d + width, NR - width).Clear();
            }
        }
    }

    // Column j of the panel is row (column + j) of Bᵀ: read each source row sequentially and scatter
    // it with stride NR; the whole panel (≤ 16 KiB) stays in L1 while it is filled.
    private static void PackTransposedPanel(float* source, long stride, int depth, int width, float* d)
    {
        for (int j = 0; j < width; j++)
        {
            float* s = source + j * stride;
            for (int r = 0; r < depth; r++)
                d[r * NR + j] = s[r];
        }
        if (width < NR)
        {
            for (int r = 0; r < depth; r++)
                new Span<float>(d + r * NR + width, NR - width).Clear();
        }
    }

    /// <summary>
    /// Packs the <paramref name="rows"/>×<paramref name="depth"/> block of A at <paramref name="a"/>
    /// (row stride <paramref name="lda"/>) into ⌈rows/MR⌉ panels of depth×MR floats; panel p starts at
    /// p·MR·depth. A last partial panel is not padded: the kernel reads only the rows it owns.
    /// </summary>
    public static void PackA(float* a, long lda, int rows, int depth, float* destination)
    {
        for (int i = 0; i < rows; i += MR, a += MR * lda, destination += MR * depth)
        {
            if (rows - i >= MR)
                PackFullPanel(a, lda, depth, destination);
            else
                PackPartialPanel(a, lda, rows - i, depth, destination);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackFullPanel(float* a, long lda, int depth, float* d)
    {
        float* r0 = a, r1 = a + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
        for (int k = 0; k < depth; k++, d += MR)
        {
            d[0] = r0[k];
            d[1] = r1[k];
            d[2] = r2[k];
            d[3] = r3[k];
            d[4] = r4[k];
            d[5] = r5[k];
        }
    }

    private static void PackPartialPanel(float* a, long lda, int rows, int depth, float* d)
    {
        for (int r = 0; r < rows; r++)
        {
            float* s = a + r * lda;
            for (int k = 0; k < depth; k++)
                d[k * MR + r] = s[k];
        }
    }
}
