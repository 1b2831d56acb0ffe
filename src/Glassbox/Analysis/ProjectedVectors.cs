using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Analysis;

/// <summary>
/// Query, key or value vectors of each head projected through that head's W_O (easyroutine's
/// <c>projected_*_vectors_head</c>): what each position's vector would write to the residual stream.
/// Key/value heads of grouped-query attention are repeated to the query heads that use them.
/// </summary>
public static class ProjectedVectors
{
    /// <summary>
    /// vectors [batch, pos, heads or kv_heads, d_head] of <paramref name="layer"/> →
    /// [batch, heads, positions, d_model], keeping <paramref name="tokenGroups"/>' positions (flattened),
    /// or each group's mean with <paramref name="averageGroups"/>. Adds b_O when <paramref name="includeBias"/>.
    /// </summary>
    public static Tensor Project(HookedTransformer model, int layer, Tensor vectors, IReadOnlyList<int[]>? tokenGroups = null,
        bool averageGroups = false, bool includeBias = false)
    {
        var cfg = model.Config;
        int batch = vectors.Dim(0), seq = vectors.Dim(1), inHeads = vectors.Dim(2), dh = cfg.DHead, d = cfg.DModel, heads = cfg.NHeads;
        if (vectors.Dim(3) != dh || heads % inHeads != 0)
            throw new ArgumentException($"Expected [batch, pos, heads, {dh}] vectors with {heads} or {cfg.NKeyValueHeads} heads; got {Tensor.Format(vectors.Shape)}.");
        int group = heads / inHeads;
        var wo = model.Weights.Layers[layer].WO;
        var bo = model.Weights.Layers[layer].BO;
        var groups = tokenGroups ?? [Enumerable.Range(0, seq).ToArray()];
        var columns = averageGroups ? groups.Count : groups.Sum(g => g.Length);
        var result = Tensor.Zeros(batch, heads, columns, d);
        var projected = new float[d];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                int c = 0;
                foreach (var g in groups)
                {
                    if (averageGroups) result[b][h][c].Clear();
                    foreach (int p in g)
                    {
                        if ((uint)p >= (uint)seq) throw new ArgumentOutOfRangeException(nameof(tokenGroups), $"Position {p} is outside 0..{seq - 1}.");
                        Array.Clear(projected);
                        var v = vectors.Span.Slice(((b * seq + p) * inHeads + h / group) * dh, dh);
                        for (int e = 0; e < dh; e++) TensorPrimitives.MultiplyAdd(wo.AsSpan((h * dh + e) * d, d), v[e], projected, projected);
                        if (includeBias) TensorPrimitives.Add(projected, bo, projected);
                        var target = result[b][h][c].Span;
                        if (averageGroups) TensorPrimitives.MultiplyAdd(projected, 1f / g.Length, target, target);
                        else { projected.CopyTo(target); c++; }
                    }
                    if (averageGroups) c++;
                }
            }
        return result;
    }
}
