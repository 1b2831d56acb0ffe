using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// easyroutine-style interventions: residual-stream vectors at token positions (scaled or replaced by
/// patching values), and attention-pattern entries between chosen query and key positions.
/// </summary>
public static class Interventions
{
    /// <summary>Multiplies the vectors at <paramref name="positions"/> by <paramref name="multiplier"/> (0 = zero ablation).</summary>
    public static HookBinding ScaleAtPositions(string hookName, IReadOnlyList<int> positions, float multiplier = 0f)
        => Steering.ScalePositions(hookName, positions, multiplier);

    /// <summary>
    /// Replaces the vectors at <paramref name="positions"/> with <paramref name="values"/>: [positions, d]
    /// for every sequence, or [batch, positions, d].
    /// </summary>
    public static HookBinding ReplaceAtPositions(string hookName, IReadOnlyList<int> positions, Tensor values)
        => new(hookName, Hook.Of((t, context) =>
        {
            int batch = t.Dim(0), seq = t.Dim(1), d = t.Dim(2);
            bool perBatch = values.Rank == 3;
            if (values.Dim(-1) != d || values.Dim(-2) != positions.Count || (perBatch && values.Dim(0) != batch))
                throw new ArgumentException($"Patching values {Tensor.Format(values.Shape)} do not fit {positions.Count} positions of {context.Name} {Tensor.Format(t.Shape)}.");
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < positions.Count; i++)
                {
                    int p = positions[i] < 0 ? positions[i] + seq : positions[i] - context.PastLength;
                    if ((uint)p >= (uint)seq) continue;   // during generation, positions before this pass are in the KV cache
                    var source = perBatch ? values[b][i] : values[i];
                    source.Span.CopyTo(t.Span.Slice((b * seq + p) * d, d));
                }
        }));

    /// <summary>
    /// Multiplies pattern[b, head, q, k] by <paramref name="multiplier"/> for the chosen heads, queries and
    /// keys of <paramref name="layer"/>; with <paramref name="renormalize"/> each touched row is rescaled to sum to 1
    /// again (a row whose entries all became 0 stays 0).
    /// </summary>
    public static HookBinding AttentionEntries(int layer, IReadOnlyList<int> heads, IReadOnlyList<int> queries, IReadOnlyList<int> keys,
        float multiplier = 0f, bool renormalize = false)
        => new($"blocks.{layer}.attn.hook_pattern", Hook.Of(pattern =>
        {
            int batch = pattern.Dim(0), q = pattern.Dim(2), k = pattern.Dim(3);
            for (int b = 0; b < batch; b++)
                foreach (int h in heads)
                    foreach (int i in queries)
                    {
                        if ((uint)i >= (uint)q) continue;
                        var row = pattern[b][h][i].Span;
                        foreach (int j in keys) if ((uint)j < (uint)k) row[j] *= multiplier;
                        if (!renormalize) continue;
                        float sum = System.Numerics.Tensors.TensorPrimitives.Sum(row);
                        if (sum > 0) System.Numerics.Tensors.TensorPrimitives.Divide(row, sum, row);
                    }
        }));
}
