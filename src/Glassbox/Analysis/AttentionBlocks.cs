using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>How <see cref="AttentionBlocks"/> reduces a block of attention to one number (easyroutine's <c>attn_pattern_avg</c>).</summary>
public enum BlockReduction
{
    Mean,
    Sum,
    /// <summary>
    /// Observed mean attention of the block over the mean a uniform causal pattern would give: for each
    /// row i, the fraction of the keys i may attend to (j ≤ i) that are in the column group, averaged
    /// over the rows. Above 1: the head attends to the group more than chance. NaN (0/0) for a block
    /// whose rows may attend to none of its columns, as in easyroutine.
    /// </summary>
    BaselineRatio,
}

/// <summary>
/// Attention patterns restricted to token groups, reduced block by block (easyroutine's
/// <c>attention_pattern_head</c> with <c>attn_pattern_avg</c>): block (r, c) holds the rows of row group r
/// and the columns of column group c.
/// </summary>
public static class AttentionBlocks
{
    /// <summary>pattern [batch, heads, q, k] → [batch, heads, row groups, column groups]; rows default to the column groups.</summary>
    public static Tensor Reduce(Tensor pattern, IReadOnlyList<int[]> columnGroups, IReadOnlyList<int[]>? rowGroups, BlockReduction how)
    {
        rowGroups ??= columnGroups;
        int batch = pattern.Dim(0), heads = pattern.Dim(1), q = pattern.Dim(2), k = pattern.Dim(3);
        foreach (var i in rowGroups.SelectMany(g => g)) if ((uint)i >= (uint)q) throw new ArgumentOutOfRangeException(nameof(rowGroups), $"Row {i} is outside 0..{q - 1}.");
        foreach (var j in columnGroups.SelectMany(g => g)) if ((uint)j >= (uint)k) throw new ArgumentOutOfRangeException(nameof(columnGroups), $"Column {j} is outside 0..{k - 1}.");
        var result = Tensor.Zeros(batch, heads, rowGroups.Count, columnGroups.Count);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int r = 0; r < rowGroups.Count; r++)
                    for (int c = 0; c < columnGroups.Count; c++)
                    {
                        double sum = 0;
                        foreach (int i in rowGroups[r])
                            foreach (int j in columnGroups[c]) sum += pattern[b, h, i, j];
                        double mean = sum / (rowGroups[r].Length * columnGroups[c].Length);
                        result[b, h, r, c] = how switch
                        {
                            BlockReduction.Sum => (float)sum,
                            BlockReduction.Mean => (float)mean,
                            _ => (float)(mean / Baseline(rowGroups[r], columnGroups[c])),
                        };
                    }
        return result;
    }

    /// <summary>
    /// Runs <paramref name="tokens"/> and reduces every layer's pattern, without caching them: one
    /// [batch, heads, row groups, column groups] tensor per layer.
    /// </summary>
    public static Tensor[] Extract(HookedTransformer model, IntTensor tokens, IReadOnlyList<int[]> columnGroups, IReadOnlyList<int[]>? rowGroups = null,
        BlockReduction how = BlockReduction.Mean)
    {
        var perLayer = new Tensor[model.Config.NLayers];
        var hook = Hook.Of((pattern, context) => perLayer[context.Layer] = Reduce(pattern, columnGroups, rowGroups, how));
        model.Forward(tokens, new ForwardOptions { Hooks = [("blocks.*.attn.hook_pattern", hook)], Return = ReturnType.None }).Dispose();
        return perLayer;
    }

    /// <summary>Mean over rows i of |{j in columns : j ≤ i}| / (i + 1): the uniform causal expectation.</summary>
    internal static double Baseline(int[] rows, int[] columns)
        => rows.Average(i => (double)columns.Count(j => j <= i) / (i + 1));
}
