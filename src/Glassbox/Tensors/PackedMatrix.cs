namespace Glassbox.Tensors;

/// <summary>
/// B [K,N] (a weight matrix) packed once into the micro-kernel's panel layout: K-blocked panels of
/// 16 columns, zero-padded at the right edge (see <see cref="PanelLayout"/>). Packing at load time
/// rather than per product is what lets small-M products (a few tokens) run near peak.
/// </summary>
public sealed unsafe class PackedMatrix
{
    // Above this many floats packing is split across cores (the unembedding is ~38M floats).
    private const long ParallelPackThreshold = 1L << 20;

    private readonly PinnedBuffer _storage;

    private PackedMatrix(PanelLayout layout, PinnedBuffer storage)
    {
        Layout = layout;
        _storage = storage;
    }

    /// <summary>K: rows of B, the shared dimension of the product.</summary>
    public int Rows => Layout.Rows;

    /// <summary>N: columns of B, the columns of the product.</summary>
    public int Columns => Layout.Columns;

    internal PanelLayout Layout { get; }

    /// <summary>Start of the packed panels; valid while this object is alive (the storage is pinned).</summary>
    internal float* Data => _storage.Pointer;

    /// <summary>Packs <paramref name="b"/>, row-major [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> b, int rows, int columns) =>
        Create(b, rows, columns, transposed: false, nameof(b));

    /// <summary>
    /// Packs B from its transpose <paramref name="bT"/>, row-major [<paramref name="columns"/>, <paramref name="rows"/>]:
    /// e.g. an unembedding W_E [vocab, d_model] used as B = W_Eᵀ [d_model, vocab].
    /// </summary>
    public static PackedMatrix PackTransposed(ReadOnlySpan<float> bT, int rows, int columns) =>
        Create(bT, rows, columns, transposed: true, nameof(bT));

    private static PackedMatrix Create(ReadOnlySpan<float> source, int rows, int columns, bool transposed, string sourceName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long expected = (long)rows * columns;
        if (source.Length != expected)
        {
            string shape = transposed ? $"columns×rows = {columns}×{rows}" : $"rows×columns = {rows}×{columns}";
            throw new ArgumentException($"{sourceName} has {source.Length} elements but {shape} = {expected}.", sourceName);
        }

        var layout = new PanelLayout(rows, columns);
        var storage = new PinnedBuffer(layout.Length);
        fixed (float* s = source)
        {
            int threads = layout.Length >= ParallelPackThreshold ? Environment.ProcessorCount : 1;
            PackPanels(s, transposed, layout, storage.Pointer, threads);
        }
        return new PackedMatrix(layout, storage);
    }

    /// <summary>Packs all panels, splitting them over up to <paramref name="threads"/> threads.</summary>
    internal static void PackPanels(float* source, bool transposed, in PanelLayout layout, float* destination, int threads)
    {
        int panels = layout.PanelCount;
        if (threads <= 1 || panels < 2 * threads)
        {
            GemmPacking.PackB(source, transposed, layout, destination, 0, panels);
            return;
        }

        nint src = (nint)source, dst = (nint)destination; // fixed pointers cannot be captured by the lambda
        PanelLayout l = layout;
        int chunks = threads * 4;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            GemmPacking.PackB((float*)src, transposed, l, (float*)dst, (int)((long)i * panels / chunks), (int)((long)(i + 1) * panels / chunks)));
    }
}
