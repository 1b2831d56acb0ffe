namespace Glassbox.Tensors;

/// <summary>
/// Where each element of a packed B [K,N] lives. K is cut into blocks of <see cref="BlockDepth"/> rows;
/// inside a block, columns are cut into panels of <see cref="GemmBlocking.NR"/>, each stored as
/// depth×NR contiguous floats (row k of the panel is NR adjacent floats, zero-padded past N).
/// Block b starts at row b·BlockDepth, i.e. at float offset b·BlockDepth·PaddedColumns.
/// </summary>
internal readonly struct PanelLayout
{
    public PanelLayout(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
        BlockDepth = GemmBlocking.BlockDepth(rows);
        PanelCount = (columns + GemmBlocking.NR - 1) / GemmBlocking.NR;
    }

    /// <summary>K.</summary>
    public int Rows { get; }

    /// <summary>N.</summary>
    public int Columns { get; }

    /// <summary>Rows per K block (the last block may be shallower).</summary>
    public int BlockDepth { get; }

    /// <summary>Number of NR-wide column panels, ⌈N / NR⌉.</summary>
    public int PanelCount { get; }

    /// <summary>N rounded up to whole panels.</summary>
    public long PaddedColumns => (long)PanelCount * GemmBlocking.NR;

    /// <summary>Floats needed to hold the packed matrix.</summary>
    public long Length => Rows * PaddedColumns;

    /// <summary>Offset of the panel <paramref name="panel"/> of the K block starting at row <paramref name="blockStart"/> with depth <paramref name="depth"/>.</summary>
    public long PanelOffset(int blockStart, int depth, int panel) =>
        blockStart * PaddedColumns + (long)panel * depth * GemmBlocking.NR;
}
