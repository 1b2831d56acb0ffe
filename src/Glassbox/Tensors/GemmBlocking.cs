namespace Glassbox.Tensors;

/// <summary>
/// Register and cache blocking of the GEMM (BLIS loop structure). The micro-kernel owns an
/// MR×NR tile of C in registers; KC bounds the depth so one B micro-panel (KC×NR) stays in L1;
/// MC bounds the packed A block (MC×KC) so it stays in L2 while every B micro-panel sweeps it.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Rows of C per micro-tile (6 rows × 2 vectors = 12 accumulators, 15 of 16 ymm registers with B and the broadcast).</summary>
    public const int MR = 6;

    /// <summary>Columns of C per micro-tile: two <c>Vector256&lt;float&gt;</c>.</summary>
    public const int NR = 16;

    /// <summary>Largest depth block: a 256×16 B micro-panel is 16 KiB, half of L1d.</summary>
    public const int MaxKC = 256;

    /// <summary>Rows of A packed at once: a 144×256 block is 144 KiB, well inside L2.</summary>
    public const int MC = 144;

    /// <summary>Column panels per parallel task (1024 columns): small enough to balance load, large enough that re-packing A per task is noise.</summary>
    public const int PanelsPerTask = 64;

    /// <summary>Below this many floating-point operations a product runs on the calling thread only: waking workers costs more than it saves.</summary>
    public const long ParallelFlopThreshold = 4L << 20;

    /// <summary>Alignment of packed buffers in bytes: one cache line, so a 16-float B row never straddles two.</summary>
    public const int AlignmentBytes = 64;

    /// <summary>
    /// Depth of the K blocks for a given K: as even as possible with no block deeper than <see cref="MaxKC"/>
    /// (K = 300 gives 150 + 150 rather than 256 + 44, so no block runs a short, overhead-heavy kernel).
    /// </summary>
    public static int BlockDepth(int k)
    {
        if (k <= MaxKC)
            return Math.Max(k, 1);
        int blocks = (k + MaxKC - 1) / MaxKC;
        return (k + blocks - 1) / blocks;
    }
}
